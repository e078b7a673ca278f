import type { Language } from '../analysis.ts';
import { de } from './de.ts';
import { en } from './en.ts';
import { es } from './es.ts';
import { fr } from './fr.ts';
import { it } from './it.ts';
import { nl } from './nl.ts';
import type { Lexicon } from './types.ts';

export const LEXICONS: Record<Language, Lexicon> = { fr, en, de, es, it, nl };
