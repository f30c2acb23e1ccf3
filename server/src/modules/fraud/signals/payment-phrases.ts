/**
 * Payment-change language: phrases that say the beneficiary account CHANGED (new account,
 * changed bank, stop paying the old one), per language. No open multilingual list exists
 * (LESSONS §3), so this is Pier's own seed lexicon. Each pattern needs a change word AND an
 * account word: "our bank is Bank of China", "open the L/C at sight" or "bank details below"
 * alone never match. Written in lower case; matched case-insensitively on NFKC-normalised text.
 */
export const PAYMENT_CHANGE_PATTERNS: Record<string, RegExp[]> = {
  en: [
    /\b(?:new|updated|changed|different|alternative|alternate)\s+(?:(?:company|corporate|our)\s+)?(?:(?:bank|banking|receiving|beneficiary|remittance|payment)\s+(?:account|details|information|instructions?|coordinates)|bank\s+account\s+(?:details|information)|beneficiary(?:\s+bank)?|iban|bank)\b/,
    /\b(?:bank(?:ing)?\s+(?:account|details|information|info|coordinates)|account\s+(?:details|information)|beneficiary(?:\s+(?:account|details|bank))?|payment\s+(?:details|instructions?|information)|remittance\s+details|receiving\s+account)\s+(?:has|have)\s+(?:been\s+|recently\s+)?(?:changed|updated|modified|replaced|switched)/,
    /\b(?:changed|updated|switched|moved|changing|updating|switching)\s+(?:our|the|my)\s+(?:(?:company|corporate|receiving)\s+)?(?:bank(?:ing)?(?:\s+(?:account|details|information))?|account(?:\s+details)?|beneficiary(?:\s+(?:account|details))?|payment details|remittance details)\b/,
    /\b(?:do not|don't|please don't|stop|avoid|hold|no longer)\s+(?:make\s+(?:any\s+)?payments?|pay(?:ing)?|send(?:ing)?|remit(?:ting)?|transfer(?:ring)?)[^.\n]{0,40}\b(?:old|previous|former|usual|existing)\s+(?:bank\s+)?account\b/,
    /\b(?:old|previous|former|existing|usual)\s+(?:bank\s+)?account\s+(?:is|was|has been|is now|will be)\s+(?:closed|frozen|suspended|blocked|deactivated|under (?:audit|review|investigation)|no longer (?:valid|in use|active|available))/,
    /\b(?:due to|because of|owing to)\s+(?:an?\s+|the\s+|our\s+)?(?:ongoing\s+|annual\s+|tax\s+|year-end\s+)?(?:audit|tax (?:issue|review|inspection)|account review|foreign exchange restrictions)[^.\n]{0,80}\b(?:account|bank)\b/,
    /\b(?:payments?|remittance|transfer)\s+(?:should|must|will|can)\s+(?:now\s+)?(?:be\s+)?(?:made|sent|remitted|transferred|directed)\s+to\s+(?:our|the)\s+(?:new|following new|updated|other)\b/,
  ],
  zh: [
    /(?:银行|收款|公司|我司|我们的?)?(?:账户|帐户|账号|帐号|帳戶|帳號|户头|戶頭|银行信息|银行资料|收款信息|收款账户|付款信息)(?:信息|资料)?(?:已|已经|现已|即将|将|有所)?(?:变更|更改|更换|改变|变动|變更|更換|调整|更新)/,
    /(?:变更|更改|更换|改变|變更|更換|启用|啟用|使用)(?:了|为|為|成)?(?:新的?|另一个|另外的?)(?:银行|收款)?(?:账户|帐户|账号|帐号|帳戶|帳號|银行)/,
    /新的?(?:银行|收款|公司)(?:账户|帐户|账号|帐号|帳戶|帳號)/,
    /(?:我司|我们|我們|本公司|公司)的?新的?(?:账户|帐户|账号|帐号|帳戶|帳號)/,
    /(?:旧|原|原来的?|之前的?|以前的?|舊)(?:银行)?(?:账户|帐户|账号|帐号|帳戶|帳號)(?:已|已经|目前|现在|正在)?(?:被)?(?:冻结|凍結|停用|关闭|關閉|注销|註銷|审计|審計|无法|不能|不再)/,
    /(?:请勿|不要|勿|别|停止)(?:再)?(?:往|向|汇款?到|汇入|付款到|打款到|转账到|匯款到|付到|汇到)?(?:原|旧|舊|之前的?|以前的?)(?:银行)?(?:账户|帐户|账号|帐号|帳戶|帳號)/,
    /(?:因|由于|由於)(?:公司)?(?:审计|審計|税务|稅務|年审|年審|外汇管制|外匯管制)[^。\n]{0,30}(?:账户|帐户|账号|帐号|帳戶|帳號)/,
  ],
  es: [
    /(?:nueva|nuevas|otra|diferente)\s+(?:cuenta|datos bancarios|cuentas bancarias|iban|cuenta bancaria|entidad bancaria)/,
    /cuenta\s+(?:bancaria\s+)?(?:nueva|diferente|actualizada)/,
    /(?:hemos|han|ha)\s+(?:cambiado|actualizado|modificado)\s+(?:de\s+|nuestra\s+|la\s+|nuestros\s+|los\s+)?(?:cuenta|banco|datos bancarios|iban)/,
    /cambio\s+de\s+(?:cuenta|banco|datos bancarios|iban|entidad bancaria)/,
    /datos\s+bancarios\s+(?:han\s+)?(?:cambiado|sido\s+(?:cambiados|actualizados|modificados)|nuevos|actualizados)/,
    /no\s+(?:realice|realicen|haga|hagan|envíe|envíen|transfiera|transfieran|pague|paguen)[^.\n]{0,40}cuenta\s+(?:anterior|antigua|habitual|vieja)/,
    /cuenta\s+(?:anterior|antigua|vieja)\s+(?:está|ha sido|fue|se encuentra)\s+(?:bloqueada|cerrada|congelada|suspendida|en auditoría)/,
  ],
  pt: [
    /(?:nova|novos|outra|diferente)\s+(?:conta|dados bancários|iban|conta bancária|banco)/,
    /conta\s+(?:bancária\s+)?(?:nova|diferente|atualizada)/,
    /(?:alteramos|mudamos|trocamos|atualizamos|alteração|mudança|troca)\s+(?:de\s+|da\s+|dos\s+|do\s+|nossa\s+|nossos\s+|nosso\s+)?(?:conta|banco|dados bancários|iban)/,
    /dados\s+bancários\s+(?:foram\s+)?(?:alterados|atualizados|mudaram|modificados)/,
    /não\s+(?:pague|paguem|efetue|efetuem|envie|enviem|transfira|transfiram|deposite)[^.\n]{0,40}conta\s+(?:antiga|anterior|habitual)/,
    /conta\s+(?:antiga|anterior)\s+(?:está|foi)\s+(?:bloqueada|encerrada|congelada|suspensa|em auditoria)/,
  ],
  fr: [
    /(?:nouveau|nouvel|autre)\s+(?:compte|rib|iban|numéro de compte)/,
    /(?:nouvelles|nouvelle)\s+(?:coordonnées bancaires|domiciliation bancaire|banque)/,
    /changement\s+(?:de|des|du)\s+(?:compte|banque|coordonnées bancaires|rib|iban|domiciliation)/,
    /(?:avons|a)\s+changé\s+(?:de|notre|nos|la|le)\s+(?:banque|compte|coordonnées bancaires|rib|iban|domiciliation)/,
    /coordonnées\s+bancaires\s+(?:ont\s+(?:été\s+)?)?(?:modifiées|changées|mises à jour|changé)/,
    /(?:ne\s+(?:plus\s+)?(?:payez|effectuez|envoyez|versez|virez)|n'effectuez\s+plus)[^.\n]{0,40}(?:ancien|précédent)\s+compte/,
    /ancien\s+compte\s+(?:est|a été)\s+(?:bloqué|fermé|clôturé|gelé|suspendu)/,
  ],
  de: [
    /neue[snmr]?\s+(?:bankverbindung|konto|kontoverbindung|kontodaten|iban|bankdaten|bank)/,
    /(?:bankverbindung|kontoverbindung|bankdaten|kontodaten|iban)\s+(?:hat sich\s+)?(?:geändert|ändert sich|wurde geändert|hat sich geändert)/,
    /geänderte[nrs]?\s+(?:bankverbindung|kontoverbindung|bankdaten|kontodaten|iban)/,
    /(?:änderung|wechsel)\s+(?:der|unserer|unseres)\s+(?:bankverbindung|kontoverbindung|bank|bankdaten|kontodaten|kontos)/,
    /kontoänderung|bankwechsel/,
    /nicht\s+mehr\s+auf\s+(?:das|unser)\s+(?:alte|bisherige)\s+konto/,
    /(?:alte|bisherige)s?\s+konto\s+(?:ist|wurde)\s+(?:gesperrt|geschlossen|eingefroren|aufgelöst)/,
  ],
  ru: [
    /нов(?:ый|ые|ого|ому|ом|ая|ую|ыми|ых)\s+(?:банковск\S*\s+)?(?:сч[её]т\S*|реквизит\S*|банк\S*)/,
    /(?:изменил\S*|сменил\S*|поменял\S*|измен[её]н\S*|обновил\S*)\s+(?:наш\S*\s+|свои\s+|банковск\S*\s+)*(?:банк\S*|сч[её]т\S*|реквизит\S*)/,
    /реквизит\S*\s+(?:были\s+|был\s+)?(?:изменены|изменились|обновлены|поменялись)/,
    /(?:изменени\S*|смен\S*)\s+(?:банковских\s+|платежных\s+|платёжных\s+)?(?:реквизит\S*|сч[её]т\S*|банка)/,
    /не\s+(?:переводите|оплачивайте|отправляйте|платите)[^.\n]{0,40}(?:стар\S*|прежн\S*|предыдущ\S*)\s+сч[её]т/,
    /(?:стар\S*|прежн\S*)\s+сч[её]т\s+(?:заблокирован|закрыт|заморожен)/,
  ],
  ar: [
    /حساب\s+(?:بنكي\s+|مصرفي\s+)?جديد/,
    /(?:تغيير|تعديل|تحديث)\s+(?:في\s+)?(?:الحساب|البنك|رقم الحساب|الحساب البنكي|الحساب المصرفي|تفاصيل الحساب|البيانات المصرفية|بيانات الحساب)/,
    /تم\s+(?:تغيير|تعديل|تحديث)\s+(?:حسابنا|الحساب|البنك|بياناتنا المصرفية|رقم الحساب)/,
    /(?:بيانات|تفاصيل)\s+(?:مصرفية|بنكية)\s+جديدة/,
    /(?:لا\s+(?:تقوموا|تقم|ترسلوا|تحولوا|تدفعوا))[^.\n]{0,40}الحساب\s+القديم/,
    /الحساب\s+القديم\s+(?:مجمد|مغلق|موقوف|تم إغلاقه|تم تجميده)/,
  ],
  tr: [
    /yeni\s+(?:banka\s+)?(?:hesab\S*|hesap\S*|iban\S*|banka bilgileri\S*)/,
    /(?:hesap|banka|iban)\s+(?:numaramız|numarası|bilgilerimiz|bilgileri|hesabımız)\s+(?:değişti|değişmiştir|güncellendi|değiştirildi)/,
    /(?:hesap|banka|iban)\s+değişikliği/,
    /(?:bankamızı|hesabımızı|ibanımızı)\s+(?:değiştirdik|güncelledik)/,
    /eski\s+hesab\S*\s+(?:ödeme|para|havale)[^.\n]{0,30}(?:yapmayın|göndermeyin)/,
    /eski\s+hesab\S*\s+(?:bloke|kapatıldı|kapandı|donduruldu|denetim)/,
  ],
  it: [
    /nuov[oaie]\s+(?:conto|iban|c\/c|coordinate bancarie|banca|estremi bancari)/,
    /(?:abbiamo|hanno|ha)\s+(?:cambiato|modificato|aggiornato)\s+(?:il\s+|la\s+|le\s+|i\s+|nostro\s+|nostra\s+|nostre\s+)*(?:conto|banca|iban|coordinate bancarie|estremi bancari)/,
    /(?:cambio|variazione|modifica)\s+(?:del(?:le)?\s+|di\s+)?(?:conto|banca|iban|coordinate bancarie|estremi bancari)/,
    /coordinate\s+bancarie\s+(?:sono\s+)?(?:cambiate|variate|aggiornate|modificate)/,
    /non\s+(?:effettuate|effettuare|inviate|pagate|versate)[^.\n]{0,40}(?:vecchio|precedente)\s+conto/,
    /(?:vecchio|precedente)\s+conto\s+(?:è|e'|risulta)\s+(?:bloccato|chiuso|congelato|sospeso)/,
  ],
};

/** Pressure to act now; common in honest trade mail too, so it only adds to other evidence. */
export const URGENCY_PATTERNS: RegExp[] = [
  /\b(?:urgent(?:ly)?|asap|immediately|right away|as soon as possible|today|by end of (?:the )?day|within (?:24|48) hours|before (?:the )?cut-?off)\b/,
  /紧急|緊急|加急|尽快|盡快|马上|馬上|立即|立刻|今天(?:之内|内|務必|务必)?/,
  /\b(?:urgente|de inmediato|inmediatamente|hoy mismo|lo antes posible)\b/,
  /\b(?:urgente|imediatamente|hoje mesmo|o mais rápido possível)\b/,
  /(?:urgent|immédiatement|aujourd'hui même|dès que possible|au plus vite)/,
  /(?:dringend|sofort|heute noch|umgehend|schnellstmöglich)/,
  /(?:срочно|немедленно|сегодня же|как можно скорее)/,
  /(?:عاجل|فورا|فوراً|اليوم|في أقرب وقت)/,
  /(?:acil|hemen|bugün içinde|derhal)/,
  /(?:urgente|immediatamente|oggi stesso|al più presto)/,
];

/** Asking to keep it quiet or not to call: the out-of-band check is exactly what a fraudster avoids. */
export const SECRECY_PATTERNS: RegExp[] = [
  /\b(?:keep (?:this|it) (?:confidential|private|between us|quiet)|strictly confidential matter|do not (?:call|phone|discuss|tell|share this)|don't (?:call|phone|discuss|tell)|not (?:reachable|available) (?:by|on the) phone|cannot take calls|can't take calls|(?:i am|i'm) in a meeting|email only)\b/,
  /保密|不要(?:打电话|致电|来电|告诉|声张)|请勿(?:致电|来电|打电话|外传)|不方便(?:接|听)电话|只用邮件联系|正在开会/,
  /(?:no\s+(?:llame|llamen|me llame|comente|comenten)|mantenga(?:lo)?\s+(?:en\s+)?(?:confidencial|secreto)|estoy en una reunión)/,
  /(?:não\s+(?:ligue|liguem|comente|comentem)|mantenha\s+(?:isto\s+)?(?:em\s+)?(?:sigilo|confidencial)|estou em reunião)/,
  /(?:n'appelez pas|ne pas appeler|gardez (?:cela|ceci) confidentiel|strictement confidentiel|je suis en réunion)/,
  /(?:nicht anrufen|rufen sie (?:mich )?nicht an|vertraulich behandeln|streng vertraulich|bin in einer besprechung)/,
  /(?:не звоните|никому не говорите|строго конфиденциально|держите в секрете|я на совещании)/,
  /(?:لا تتصل|لا تتصلوا|سري للغاية|احتفظ بهذا سرا|أنا في اجتماع)/,
  /(?:aramayın|gizli tutun|kesinlikle gizli|toplantıdayım)/,
  /(?:non chiamate|non telefonate|mantenete riservat|strettamente riservat|sono in riunione)/,
];
