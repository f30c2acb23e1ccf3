/**
 * JS's \b and \w only know ASCII letters; the lexicon is multilingual (überweisung, наследство),
 * so word edges and word characters become Unicode-aware.
 */
const LETTER = '[\\p{L}\\p{N}_]';
export function unicodeWords(pattern: RegExp): RegExp {
  const source = pattern.source.replaceAll('\\b', `(?:(?<!${LETTER})(?=${LETTER})|(?<=${LETTER})(?!${LETTER}))`).replaceAll('\\w', LETTER);
  return new RegExp(source, 'iu');
}

/**
 * Money lures sent to strangers, by concept, in the languages the issue names (en, pt, es, de,
 * fr, it, ru, ar, zh). One concept is ordinary business talk ("payment", "loan", "donation");
 * the lure is several of them together ("inheritance" + "beneficiary" + "transfer of the fund").
 * Pier's own seed lexicon, written in lower case, matched case-insensitively on NFKC text.
 */
export const LURE_CONCEPTS: Record<string, RegExp> = {
  inheritance:
    /\b(?:inheritance|next of kin|late (?:husband|father|client|uncle)|deceased|who died|died (?:along|in a|of)|estate of (?:my|the) late|herança|falecid[oa]|herencia|fallecid[oa]|erbschaft|nachlass|verstorben\w*|héritage|succession|défunt|eredità|defunt[oa]|наследств\w*|покойн\w*)\b|ميراث|المتوفى|遗产|已故/,
  unclaimed_fund:
    /\b(?:unclaimed|abandoned|dormant|leftover|left over)\s+(?:fund|funds|account|sum|deposit|consignment)|\b(?:atm (?:master ?)?card|consignment box|compensation fund|beneficiary|beneficiaries|fund release|release (?:of )?(?:the |your )?fund|claim (?:of |your )?fund|(?:your|the) fund(?:s)?\b|beneficiári[oa]|fundos?|beneficiari[oa]|fondos|begünstigte\w*|fondsempfänger|bénéficiaire|fonds|fondi|бенефициар\w*|средств\w*|фонд\w*)\b|المستفيد|الأموال|受益人|资金|基金/,
  donation:
    /\b(?:donation|donate|charity|charitable|doação|doar|donación|donar|caridad|\w*spende|spenden|wohltätigkeit\w*|don de|faire un don|charité|donazione|beneficenza|пожертвовани\w*|благотворит\w*)\b|تبرع|صدقة|捐款|捐赠|慈善/,
  loan: /\b(?:loan offer|(?:personal|business) loans?|loan at \d|interest rate of \d|low interest|lender|empréstimo|préstamo|prestamista|darlehen|kreditangebot|kredit\b|geldverleih|prêt\b|offre de prêt|prestito|finanziamento|кредит\w*|займ\w*|заём)\b|قرض|贷款|借贷/,
  investment:
    /\b(?:business proposal|(?:private |distinguished )?investors? (?:are|who|that|can|seeking)|investment (?:plan|portfolio|adviser|advisor|consultant|officer|company|expert)|portfolio manager|fund management|(?:kg|kilograms?) of gold|gold bars|investment (?:proposal|opportunity|offer|partner)|invest (?:in|\$)|daily profit|bitcoin|crypto ?currenc\w*|kryptow\w*|criptomoned\w*|criptovalut\w*|cryptomonnaie\w*|криптовалют\w*|(?:become|make you|werden sie|sei) (?:a |an |the next |zum |ein )?(?:millionaire|billionaire|millionär)|\d[\d.,]*\s?(?:dollars?|usd|\$|euros?|€)\s(?:per|a|pro|al|por|par) (?:day|tag|día|dia|jour|giorno)|\d+\s?% (?:daily |monthly |weekly )?(?:profit|return)|finance (?:viable |your )?projects?|(?:loan|project) funds?|foreign partner|this transaction|business (?:opportunity|transaction)|invest (?:in|into) your country|joint venture|(?:\d{1,2}\s?%|percent(?:age)?) (?:of the )?(?:total )?(?:sum|fund|share)|proposta de negócio|investimento|propuesta de negocio|inversión|geschäftsvorschlag|investition|proposition d'affaires|investissement|proposta d'affari|investimento|инвестици\w*|деловое предложение)\b|استثمار|اقتراح عمل|投资|合作提议/,
  prize:
    /\b(?:lottery|you have (?:won|been selected)|(?:e-?mail|account|address) (?:has been|was|have been) (?:selected|chosen)|konto wurde|ausgewählt|winner|winning (?:number|notification)|prize|jackpot|sorteio|premiad[oa]|lotería|premio|gewinner|gewonnen|lotterie|gagnant|loterie|vincitore|lotteria|выигрыш\w*|лотере\w*)\b|يانصيب|جائزة|中奖|彩票|奖金/,
  money_service:
    /\b(?:western union|money ?gram|ria money|diplomatic (?:agent|courier)|courier (?:company|service) (?:to|will) deliver|security company|swift (?:copy|code) of the transfer|transfer (?:charges|fee)s?|clearance (?:fee|certificate)|taxa de transferência|gastos de envío|überweisungsgebühr|frais de transfert|spese di trasferimento|комисси\w* за перевод)\b|رسوم التحويل|手续费/,
  authority:
    /\b(?:united nations?|imf|international monetary fund|world bank|fbi|federal bureau of investigation|interpol|central bank|federal reserve|barrister|attorney at law|diplomat\w*|ecowas|ministry of finance|secretary[- ]general|nações unidas|naciones unidas|vereinte nationen|nations unies|nazioni unite|оон|мвф)\b|الأمم المتحدة|صندوق النقد|联合国|国际货币基金/,
  secrecy_trust:
    /\b(?:utmost surprise|confide in you|confidential(?:ly)? (?:funds?|transaction|business)|secret investment|(?:reliable|trustworthy|honest) (?:and (?:experienced|reliable) )?partner|my private e-?mail|(?:reply|revert|get back to me) (?:for|with) (?:more|further) (?:specific )?(?:details|information)|let me hear from you|(?:might|may) (?:meet|come to) you (?:in|as)|come as a surprise|permit me to|honesty and reliability|reliable partner|trustworthy|honest (?:person|partner)|can i trust you|god[- ]fearing|strictly confidential|treat (?:this )?as confidential|private and confidential|your full name,? (?:and )?(?:your )?(?:address|phone|country)|re-?confirm your (?:bank(?:ing)? )?(?:details|information)|(?:antworten sie|responda|responde|répondez|rispondi|rispondete|ответьте)\b.{0,20}\b(?:für|para|pour|per|для) (?:weitere|mais|más|plus de|maggiori|подробн)\w*|send (?:me )?your (?:full name|bank details|phone number)|pessoa honesta|confidencial|persona honesta|vertrauenswürdig\w*|vertraulich|personne honnête|confidentiel|persona onesta|riservat\w*|доверя\w*|конфиденциальн\w*)\b|سري|ثقة|保密|可靠的人/,
};

/**
 * What a stranger asks for when the money comes later: a quotation or a catalogue (the fake
 * order), or a vague "proposal" to be told in private. Everyday words from a real buyer, so they
 * never count alone: only together with answers diverted to another mailbox (stranger-lures.ts).
 */
export const PITCH_CONCEPTS: Record<string, RegExp> = {
  order_request:
    /\b(?:rfq|request for (?:a )?quot\w*|invitation to (?:quote|bid)|bidding invitation|quote (?:us )?(?:your )?(?:best|the following|for)|(?:send|give) (?:us |me )?(?:your )?(?:best )?(?:quotation|quote|catalog\w*|price ?list)|purchase order|cotação|cotización|solicitud de cotización|angebotsanfrage|preisanfrage|demande de (?:devis|prix)|richiesta di (?:offerta|preventivo)|запрос (?:цены|предложения|коммерческого))\b|询价|报价单/,
  proposal:
    /\b(?:(?:a|my|an|this) (?:\S+ ){0,3}(?:proposal|proposition|transaction|discussion|information)\b.{0,80}\b(?:you|your)|proposal (?:for|to) you|propuesta|proposta|vorschlag|proposition|предложени\w*)\b|提议|合作/,
};

/** "$18.5m", "US$ 4,000,000", "2.000.000,00 Euro", "27.5 million dollars", "€ 100.000.000". */
export const LARGE_SUM =
  /(?:(?:us\s?\$|usd|\$|€|eur(?:o|os)?|£|gbp)\s?\d{1,3}(?:[.,\s]\d{3}){2,}|\d{1,3}(?:[.,\s]\d{3}){2,}(?:[.,]\d{2})?\s?(?:us\s?\$|usd|\$|€|eur(?:o|os)?|£|dollars?|pounds?|reais|euros?)|(?:us\s?\$|usd|\$|€|£)\s?\d+(?:[.,]\d+)?\s?(?:m\b|mil+ions?|mio\b|millionen|millones|milhões|milioni|млн)|\d+(?:[.,]\d+)?\s?(?:million|millions|mio\.?|millionen|millones|milhões|milioni|миллион\w*)\s?(?:us\s?)?(?:dollars?|usd|\$|euros?|€|pounds?|gbp|долларов|евро)?|\d+(?:\.\d+)?\s?(?:万|百万|千万|亿)(?:美元|欧元|美金)|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|\w+teen|twenty|thirty|forty|fifty|hundred)\s(?:\w+\s){0,2}million\s(?:[a-z]+\s){0,4}(?:dollars?|euros?|pounds?|usd))/i;

/** A phone call asked for: the call-back scam's whole point. */
export const CALL_TO_ACTION =
  /\b(?:call|phone|dial|ring|contact)\s+(?:us|our|the|me|customer|billing|support|helpdesk|help desk|toll[- ]free)?\s*(?:\w+\s){0,4}?(?:at|on|:)?\s*(?=[+(\d])|\b(?:ligue|llame|llámenos|rufen sie|appelez|chiamate|chiami|позвоните)\b|اتصل|请致电|拨打/i;

/** A bill, renewal or charge: what the call-back scam claims to be about. */
export const BILLING_CLAIM =
  /\b(?:invoice|receipt|order (?:confirmation|number|id|#)|subscription|auto[- ]?renew\w*|renewal|has been charged|will be charged|charged to your|debited|deducted|transaction (?:id|number)|purchase (?:of|confirmation)|refund|cancel (?:the|your|this) (?:order|subscription|transaction)|fatura|cobrança|factura|cargo|rechnung|abbuchung|facture|prélèvement|fattura|addebito|сч[её]т|списан\w*)\b|فاتورة|发票|扣款|订阅/i;

/** Phone numbers written to be called: +1 (800) 555-0199, 1-888-555-0199, +44 20 7946 0958. */
export const PHONE_NUMBER = /(?:\+\d{1,3}[\s.-]?)?(?:\(\d{2,4}\)|\d{2,4})[\s.-]\d{3,4}[\s.-]\d{3,4}\b/;

/** Money words a fake "RE:"/"FW:" leans on. */
export const PAYMENT_WORDS = unicodeWords(
  /\b(?:invoices?|payments?|paid|remittance|wire|transfer|bank|swift|iban|overdue|outstanding|balance due|proforma|fatura|pagamento|factura|pago|zahlung|rechnung|überweisung|facture|paiement|virement|fattura|pagamento|bonifico|оплат\w*|сч[её]т\w*|платеж\w*)\b|付款|汇款|发票|دفع|فاتورة/i,
);

/**
 * The sender wants to be paid: an invoice, a balance, their bank details. A buyer asking about
 * "payment terms" is not asking for money.
 */
export const ASKS_FOR_MONEY = unicodeWords(
  /\b(?:invoices?|proforma|overdue|outstanding (?:balance|amount|invoice)|balance due|(?:our|new|updated) bank (?:details|account)|bank details|beneficiary|iban|swift|remit(?:tance)?|wire (?:the|to)|transfer (?:the|to)|fatura|factura|rechnung|facture|fattura|сч[её]т на оплату)\b|发票|汇款|فاتورة/i,
);
