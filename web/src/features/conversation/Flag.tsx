/// <reference types="vite/client" />
import { useEffect, useState } from 'react';
import { countryName } from './format';

// One small module per flag (flag-icons, MIT), fetched the first time a country shows up: emoji
// flags do not render on Windows, and the whole set would weigh on the first load.
const flagLoaders = import.meta.glob<string>('../../../../node_modules/flag-icons/flags/4x3/*.svg', { query: '?url', import: 'default' });
const loaderFor = (code: string) => flagLoaders[`../../../../node_modules/flag-icons/flags/4x3/${code}.svg`];

export function Flag({ country }: { country: string | null | undefined }) {
  const code = country && /^[A-Za-z]{2}$/.test(country) ? country.toLowerCase() : null;
  const [src, setSrc] = useState<string | null>(null);
  useEffect(() => {
    setSrc(null);
    const load = code ? loaderFor(code) : undefined;
    if (!load) return;
    let live = true;
    void load().then((url) => {
      if (live) setSrc(url);
    });
    return () => {
      live = false;
    };
  }, [code]);
  if (!code || !country) return null;
  const name = countryName(country);
  return (
    <span className="flag" title={name} data-country={country.toUpperCase()}>
      {src ? <img src={src} alt={name} width={16} height={12} /> : <span className="flag-code">{country.toUpperCase()}</span>}
    </span>
  );
}
