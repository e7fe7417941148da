// The settings schemas by name, for the routes that validate and document settings (PATCH /api/settings, the admin
// form, the first run). Importing this module builds them (lib/settings/schema.ts says why they wait).
import { settingsSchemas } from './schema';
import type * as schema from './schema';

export const {
  NavigationItem,
  SocialLink,
  CommentPolicy,
  settingsFields,
  SiteSettings,
  PublicSettings,
  SettingsPatch,
} = settingsSchemas();

export type NavigationItem = schema.NavigationItem;
export type SocialLink = schema.SocialLink;
export type CommentPolicy = schema.CommentPolicy;
export type SiteSettings = schema.SiteSettings;
export type PublicSettings = schema.PublicSettings;
export type SettingsPatch = schema.SettingsPatch;
