import type { Locale } from '../../../platform/locales.js';
import { ar } from './ar.js';
import { de } from './de.js';
import { en, type Catalog } from './en.js';
import { es } from './es.js';
import { fr } from './fr.js';
import { ja } from './ja.js';

/** Every shipped locale's catalog: a locale without one does not compile. */
export const CATALOGS: Record<Locale, Catalog> = { en, de, fr, es, ja, ar };
