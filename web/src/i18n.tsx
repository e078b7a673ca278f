// Languages of the dashboard: French and English, the member's preferred one (else the browser's).
// Each page keeps its own words beside it (`defineText`), so that adding a page touches no shared
// dictionary; amounts and dates are formatted by Intl for the language.
import { createContext, type ReactNode, useContext, useMemo } from 'react';

export type Lang = 'en' | 'fr';
export const LANGS: readonly Lang[] = ['en', 'fr'];

type Entry = string | ((...args: never[]) => string);
export type Words = Record<string, Entry>;

/** The words of one page in both languages; French must say everything English says. */
export function defineText<T extends Words>(en: T, fr: { [K in keyof T]: T[K] }): Record<Lang, T> {
  return { en, fr };
}

export function pickLang(preferred: string | null | undefined): Lang {
  const wanted = (preferred ?? (typeof navigator === 'undefined' ? 'en' : navigator.language)).slice(0, 2);
  return wanted === 'fr' ? 'fr' : 'en';
}

const LangContext = createContext<Lang>('en');

export function LangProvider({ lang, children }: { lang: Lang; children: ReactNode }) {
  return <LangContext.Provider value={lang}>{children}</LangContext.Provider>;
}

export function useLang(): Lang {
  return useContext(LangContext);
}

export function useText<T extends Words>(text: Record<Lang, T>): T {
  return text[useLang()];
}

const LOCALES: Record<Lang, string> = { en: 'en-GB', fr: 'fr-FR' };

export interface Format {
  lang: Lang;
  /** A decimal string of the API ("1250.50") with its currency, as the language writes it. */
  money(amount: string | number, currency: string): string;
  /** A calendar day (YYYY-MM-DD), without any time zone shift. */
  date(day: string | null | undefined): string;
  /** A moment (ISO 8601 with offset), in the browser's time zone. */
  moment(iso: string | null | undefined): string;
  number(n: number): string;
}

export function formatFor(lang: Lang): Format {
  const locale = LOCALES[lang];
  const moneyFormats = new Map<string, Intl.NumberFormat>();
  const dayFormat = new Intl.DateTimeFormat(locale, {
    day: 'numeric',
    month: 'short',
    year: 'numeric',
    timeZone: 'UTC',
  });
  const momentFormat = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
  const numberFormat = new Intl.NumberFormat(locale);
  return {
    lang,
    money(amount, currency) {
      let f = moneyFormats.get(currency);
      if (!f) {
        f = new Intl.NumberFormat(locale, { style: 'currency', currency });
        moneyFormats.set(currency, f);
      }
      // Intl formats a decimal string exactly, with no detour through a float.
      return f.format(amount as unknown as number);
    },
    date(day) {
      if (!day) return '—';
      const [y, m, d] = day.split('-').map(Number);
      return dayFormat.format(Date.UTC(y!, m! - 1, d!));
    },
    moment(iso) {
      return iso ? momentFormat.format(new Date(iso)) : '—';
    },
    number(n) {
      return numberFormat.format(n);
    },
  };
}

export function useFormat(): Format {
  const lang = useLang();
  return useMemo(() => formatFor(lang), [lang]);
}
