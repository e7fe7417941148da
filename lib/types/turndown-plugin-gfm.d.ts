// The GFM plugin for turndown (tables, strikethrough, task lists): see lib/types/turndown.d.ts.
import type TurndownService from './turndown';

export function gfm(service: TurndownService): void;
