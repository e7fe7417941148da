// `npm run assets`: copies the packaged static files into public/ (run before deploy; dev, tests and bench do it).
import { copyStaticAssets } from './assets';

copyStaticAssets();
console.log('static assets copied into public/');
