export { detectLanguage, loadLanguageDetector } from './message-language.js';
export {
  type CountrySource,
  countryFromDomain,
  countryFromPhones,
  countryFromReceived,
  type SenderCountry,
  type SenderFacts,
  senderCountry,
} from './sender-country.js';
