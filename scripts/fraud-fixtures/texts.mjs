// Wording of the generated trade mails, per language. Each entry is a function of the context
// (names, product, quantity, order number, bank block) so the same situation reads differently.
// Legitimate mails mention banks, L/Cs and bank details without any change; fraud mails say
// the account changed in the ways real BEC mail does.

export const PRODUCTS = {
  en: [
    'LED panel lights 600x600',
    'LED downlights 12W',
    'solar street lights 60W',
    'LED strip 5050',
    'UFO high bay 150W',
    'LED flood lights 100W',
  ],
  zh: ['LED面板灯 600x600', 'LED筒灯 12W', '太阳能路灯 60W', 'LED灯带 5050', 'UFO工矿灯 150W', 'LED投光灯 100W'],
  es: ['paneles LED 600x600', 'downlights LED 12W', 'farolas solares 60W', 'tiras LED 5050', 'campanas LED 150W', 'reflectores LED 100W'],
  pt: [
    'painéis LED 600x600',
    'downlights LED 12W',
    'postes solares 60W',
    'fitas LED 5050',
    'luminárias high bay 150W',
    'refletores LED 100W',
  ],
  fr: ['dalles LED 600x600', 'spots LED 12W', 'lampadaires solaires 60W', 'rubans LED 5050', 'cloches LED 150W', 'projecteurs LED 100W'],
  de: [
    'LED-Panels 600x600',
    'LED-Downlights 12W',
    'Solar-Straßenleuchten 60W',
    'LED-Streifen 5050',
    'LED-Hallenstrahler 150W',
    'LED-Fluter 100W',
  ],
  ru: [
    'светодиодные панели 600x600',
    'даунлайты 12 Вт',
    'солнечные фонари 60 Вт',
    'светодиодные ленты 5050',
    'промышленные светильники 150 Вт',
    'прожекторы 100 Вт',
  ],
  ar: [
    'ألواح إضاءة LED مقاس 600x600',
    'كشافات سقف LED بقوة 12 واط',
    'أعمدة إنارة شمسية 60 واط',
    'شرائط LED 5050',
    'كشافات LED للمستودعات 150 واط',
    'كشافات LED خارجية 100 واط',
  ],
  tr: [
    'LED panel 600x600',
    'LED spot 12W',
    'güneş enerjili sokak lambası 60W',
    'LED şerit 5050',
    'LED yüksek tavan armatürü 150W',
    'LED projektör 100W',
  ],
  it: ['pannelli LED 600x600', 'faretti LED 12W', 'lampioni solari 60W', 'strisce LED 5050', 'campane LED 150W', 'proiettori LED 100W'],
};

const pick = (rnd, list) => list[Math.floor(rnd() * list.length)];

/** A first inquiry from a buyer. */
export const INQUIRY = {
  en: [
    (c) => ({
      subject: `Inquiry: ${c.product}`,
      text: `Dear Sir/Madam,\n\nWe are an importer of lighting products in ${c.country}. Please quote your best price for ${c.qty} pcs ${c.product}, FOB ${c.port}, with delivery time and MOQ.\n\nBest regards,\n${c.name}`,
    }),
    (c) => ({
      subject: `RFQ ${c.po} - ${c.product}`,
      text: `Hello,\n\nI found your company on Alibaba. Could you send a catalogue and price list for ${c.product}? Our first order would be about ${c.qty} units. Do you have CE and RoHS certificates?\n\nThanks,\n${c.name}`,
    }),
    (c) => ({
      subject: `Price request for ${c.product}`,
      text: `Hi ${c.me},\n\nWe need a quotation for ${c.qty} pieces of ${c.product}, CIF ${c.port}. Payment by L/C at sight is preferred. Please also advise the warranty.\n\nKind regards\n${c.name}`,
    }),
  ],
  zh: [
    (c) => ({
      subject: `询价:${c.product}`,
      text: `您好,\n\n我们是${c.country}的灯具进口商,需要 ${c.qty} 个 ${c.product},请报 FOB ${c.port} 最优价格及交期。\n\n谢谢!\n${c.name}`,
    }),
    (c) => ({
      subject: `关于${c.product}的询盘`,
      text: `${c.me} 您好:\n\n请发一份${c.product}的目录和报价,首单约 ${c.qty} 件。是否有 CE 认证?\n\n祝好\n${c.name}`,
    }),
  ],
  es: [
    (c) => ({
      subject: `Consulta: ${c.product}`,
      text: `Estimados señores:\n\nSomos importadores de iluminación en ${c.country}. Les solicitamos cotización de ${c.qty} unidades de ${c.product}, FOB ${c.port}, con plazo de entrega.\n\nSaludos cordiales,\n${c.name}`,
    }),
    (c) => ({
      subject: `Solicitud de precios ${c.po}`,
      text: `Hola ${c.me},\n\n¿Podrían enviarnos el catálogo y la lista de precios de ${c.product}? El primer pedido sería de unas ${c.qty} unidades.\n\nGracias,\n${c.name}`,
    }),
  ],
  pt: [
    (c) => ({
      subject: `Cotação: ${c.product}`,
      text: `Prezados,\n\nSomos importadores de iluminação no ${c.country}. Gostaríamos de receber cotação para ${c.qty} unidades de ${c.product}, FOB ${c.port}.\n\nAtenciosamente,\n${c.name}`,
    }),
    (c) => ({
      subject: `Pedido de preço ${c.po}`,
      text: `Olá ${c.me},\n\nPoderia enviar o catálogo de ${c.product}? O primeiro pedido seria de ${c.qty} peças.\n\nObrigado,\n${c.name}`,
    }),
  ],
  fr: [
    (c) => ({
      subject: `Demande de prix : ${c.product}`,
      text: `Bonjour,\n\nNous sommes importateurs d'éclairage en ${c.country}. Merci de nous faire une offre pour ${c.qty} pièces de ${c.product}, FOB ${c.port}.\n\nCordialement,\n${c.name}`,
    }),
    (c) => ({
      subject: `Demande de catalogue ${c.po}`,
      text: `Bonjour ${c.me},\n\nPourriez-vous nous envoyer votre catalogue et vos prix pour ${c.product} ? Première commande : environ ${c.qty} unités.\n\nMerci,\n${c.name}`,
    }),
  ],
  de: [
    (c) => ({
      subject: `Anfrage: ${c.product}`,
      text: `Sehr geehrte Damen und Herren,\n\nwir sind Importeur für Beleuchtung in ${c.country}. Bitte senden Sie uns ein Angebot über ${c.qty} Stück ${c.product}, FOB ${c.port}.\n\nMit freundlichen Grüßen\n${c.name}`,
    }),
    (c) => ({
      subject: `Preisanfrage ${c.po}`,
      text: `Hallo ${c.me},\n\nkönnen Sie uns Katalog und Preisliste für ${c.product} schicken? Erstbestellung ca. ${c.qty} Stück.\n\nDanke und viele Grüße\n${c.name}`,
    }),
  ],
  ru: [
    (c) => ({
      subject: `Запрос цены: ${c.product}`,
      text: `Здравствуйте!\n\nМы импортируем светотехнику. Просим выслать предложение на ${c.qty} шт. ${c.product}, FOB ${c.port}.\n\nС уважением,\n${c.name}`,
    }),
    (c) => ({
      subject: `Запрос каталога ${c.po}`,
      text: `Добрый день, ${c.me}!\n\nПришлите, пожалуйста, каталог и цены на ${c.product}. Первый заказ около ${c.qty} шт.\n\nСпасибо,\n${c.name}`,
    }),
  ],
  ar: [
    (c) => ({
      subject: `استفسار عن ${c.product}`,
      text: `السادة المحترمون،\n\nنحن مستوردون لمنتجات الإضاءة. نرجو إرسال عرض سعر لعدد ${c.qty} قطعة من ${c.product} فوب ${c.port}.\n\nمع التحية،\n${c.name}`,
    }),
    (c) => ({
      subject: `طلب كتالوج ${c.po}`,
      text: `مرحبا ${c.me}،\n\nنرجو إرسال الكتالوج وقائمة الأسعار لمنتج ${c.product}. الطلب الأول حوالي ${c.qty} قطعة.\n\nشكرا،\n${c.name}`,
    }),
  ],
  tr: [
    (c) => ({
      subject: `Fiyat talebi: ${c.product}`,
      text: `Merhaba,\n\nAydınlatma ithalatçısıyız. ${c.qty} adet ${c.product} için FOB ${c.port} fiyat teklifi rica ederiz.\n\nSaygılarımızla,\n${c.name}`,
    }),
    (c) => ({
      subject: `Katalog talebi ${c.po}`,
      text: `Merhaba ${c.me},\n\n${c.product} için katalog ve fiyat listesi gönderebilir misiniz? İlk sipariş yaklaşık ${c.qty} adet.\n\nTeşekkürler,\n${c.name}`,
    }),
  ],
  it: [
    (c) => ({
      subject: `Richiesta offerta: ${c.product}`,
      text: `Gentili signori,\n\nsiamo importatori di illuminazione in ${c.country}. Vi chiediamo un'offerta per ${c.qty} pezzi di ${c.product}, FOB ${c.port}.\n\nCordiali saluti,\n${c.name}`,
    }),
    (c) => ({
      subject: `Richiesta catalogo ${c.po}`,
      text: `Buongiorno ${c.me},\n\npotete inviarci catalogo e listino per ${c.product}? Primo ordine circa ${c.qty} pezzi.\n\nGrazie,\n${c.name}`,
    }),
  ],
};

/** A reply inside an ongoing deal: quotes, PI, L/C, shipping — banks mentioned, nothing changed. */
export const FOLLOW_UP = {
  en: [
    (c) => ({
      text: `Hi ${c.me},\n\nThanks for the quotation. We accept the price for ${c.qty} pcs ${c.product}. Please send the PI; we will open the L/C at sight through Bank of China within this week.\n\nBest regards,\n${c.name}`,
    }),
    (c) => ({
      text: `Dear ${c.me},\n\nPI ${c.po} is confirmed. Our bank has issued the L/C today, please check with your advising bank and let us know if any amendment is needed.\n\nRegards,\n${c.name}`,
    }),
    (c) => ({
      text: `Hello ${c.me},\n\nCould you share the shipping schedule for ${c.po}? Our forwarder needs the booking by Friday. Also please attach the packing list and commercial invoice.\n\nThanks\n${c.name}`,
    }),
    (c) => ({
      text: `Hi,\n\nWe received the samples of ${c.product}, the quality is good. Please hold the production slot for ${c.qty} pcs, deposit will follow by T/T as usual.\n\n${c.name}`,
    }),
    (c) => ({
      text: `Dear ${c.me},\n\nThe goods of ${c.po} arrived at ${c.port} in good condition. Two cartons were damaged; photos attached. Please advise.\n\nBest,\n${c.name}`,
    }),
    (c) => ({
      text: `Hi ${c.me},\n\nPlease note the bank details on your PI are correct, our accounting department has released the 30% deposit today. Copy of the bank slip attached.\n\nRegards\n${c.name}`,
    }),
  ],
  zh: [
    (c) => ({
      text: `${c.me} 您好,\n\n报价收到,${c.qty} 件${c.product}的价格我们接受。请发形式发票,我们本周通过中国银行开即期信用证。\n\n${c.name}`,
    }),
    (c) => ({ text: `您好,\n\n订单 ${c.po} 已安排生产,预计下月初出货。银行信息请按合同执行,开户行不变。\n\n谢谢\n${c.name}` }),
    (c) => ({ text: `${c.me}:\n\n货物已到 ${c.port},请提供提单副本和装箱单,我们安排清关。\n\n${c.name}` }),
    (c) => ({ text: `您好,\n\n30% 定金已通过招商银行汇出,水单见附件,请查收。\n\n${c.name}` }),
  ],
  es: [
    (c) => ({
      text: `Hola ${c.me},\n\nAceptamos el precio de ${c.qty} unidades de ${c.product}. Por favor envíe la factura proforma; abriremos la carta de crédito con el Banco Santander esta semana.\n\nSaludos,\n${c.name}`,
    }),
    (c) => ({
      text: `Estimada ${c.me},\n\n¿Nos puede confirmar la fecha de embarque del pedido ${c.po}? Nuestro agente necesita la reserva.\n\nGracias,\n${c.name}`,
    }),
    (c) => ({
      text: `Hola,\n\nHemos realizado la transferencia del anticipo a la cuenta de su factura, adjunto el comprobante.\n\n${c.name}`,
    }),
  ],
  pt: [
    (c) => ({
      text: `Olá ${c.me},\n\nAceitamos o preço de ${c.qty} peças de ${c.product}. Envie a fatura proforma, vamos abrir a carta de crédito pelo Banco do Brasil.\n\nAbraços,\n${c.name}`,
    }),
    (c) => ({ text: `Prezada ${c.me},\n\nPode confirmar a data de embarque do pedido ${c.po}?\n\nObrigado,\n${c.name}` }),
    (c) => ({ text: `Olá,\n\nO sinal de 30% foi pago hoje, segue o comprovante bancário em anexo.\n\n${c.name}` }),
  ],
  fr: [
    (c) => ({
      text: `Bonjour ${c.me},\n\nNous acceptons le prix pour ${c.qty} pièces de ${c.product}. Merci d'envoyer la facture proforma ; le crédit documentaire sera ouvert par BNP Paribas.\n\nCordialement,\n${c.name}`,
    }),
    (c) => ({ text: `Bonjour,\n\nPouvez-vous confirmer la date d'expédition de la commande ${c.po} ?\n\nMerci,\n${c.name}` }),
    (c) => ({ text: `Bonjour ${c.me},\n\nL'acompte a été viré ce matin, vous trouverez l'avis de virement en pièce jointe.\n\n${c.name}` }),
  ],
  de: [
    (c) => ({
      text: `Hallo ${c.me},\n\nwir akzeptieren den Preis für ${c.qty} Stück ${c.product}. Bitte senden Sie die Proforma-Rechnung; das Akkreditiv eröffnen wir über die Commerzbank.\n\nViele Grüße\n${c.name}`,
    }),
    (c) => ({ text: `Hallo,\n\nkönnen Sie den Verschiffungstermin für Auftrag ${c.po} bestätigen?\n\nDanke\n${c.name}` }),
    (c) => ({ text: `Hallo ${c.me},\n\ndie Anzahlung wurde heute überwiesen, der Zahlungsbeleg hängt an.\n\nGrüße\n${c.name}` }),
  ],
  ru: [
    (c) => ({
      text: `Добрый день, ${c.me}!\n\nЦена на ${c.qty} шт. ${c.product} нас устраивает. Пришлите инвойс, аккредитив откроем через Сбербанк.\n\nС уважением,\n${c.name}`,
    }),
    (c) => ({ text: `Здравствуйте!\n\nПодтвердите, пожалуйста, дату отгрузки по заказу ${c.po}.\n\n${c.name}` }),
    (c) => ({ text: `Добрый день!\n\nПредоплата отправлена сегодня, платёжное поручение во вложении.\n\n${c.name}` }),
  ],
  ar: [
    (c) => ({
      text: `مرحبا ${c.me}،\n\nنوافق على السعر لعدد ${c.qty} قطعة من ${c.product}. نرجو إرسال الفاتورة المبدئية وسنفتح الاعتماد المستندي عن طريق بنك الإمارات دبي الوطني.\n\nمع التحية،\n${c.name}`,
    }),
    (c) => ({ text: `مرحبا،\n\nنرجو تأكيد موعد الشحن للطلب ${c.po}.\n\nشكرا،\n${c.name}` }),
  ],
  tr: [
    (c) => ({
      text: `Merhaba ${c.me},\n\n${c.qty} adet ${c.product} fiyatını kabul ediyoruz. Proforma faturayı gönderin, akreditifi Ziraat Bankası üzerinden açacağız.\n\nSaygılarımızla,\n${c.name}`,
    }),
    (c) => ({ text: `Merhaba,\n\n${c.po} siparişinin yükleme tarihini teyit eder misiniz?\n\nTeşekkürler,\n${c.name}` }),
  ],
  it: [
    (c) => ({
      text: `Buongiorno ${c.me},\n\naccettiamo il prezzo per ${c.qty} pezzi di ${c.product}. Inviateci la fattura proforma, apriremo la lettera di credito tramite Intesa Sanpaolo.\n\nCordiali saluti,\n${c.name}`,
    }),
    (c) => ({ text: `Buongiorno,\n\npotete confermare la data di spedizione dell'ordine ${c.po}?\n\nGrazie,\n${c.name}` }),
  ],
};

/** An invoice or payment request with the partner's usual bank details (history and legit repeats). */
export const INVOICE = {
  en: (c) => ({
    subject: `Invoice ${c.po}`,
    text: `Dear ${c.me},\n\nPlease find attached invoice ${c.po} for the commission of last quarter. Payment to our usual account:\n\n${c.bank}\n\nThank you,\n${c.name}`,
  }),
  zh: (c) => ({
    subject: `付款通知 ${c.po}`,
    text: `${c.me} 您好,\n\n附件为 ${c.po} 的发票,请按以下账户付款:\n\n${c.bank}\n\n谢谢!\n${c.name}`,
  }),
  es: (c) => ({
    subject: `Factura ${c.po}`,
    text: `Estimada ${c.me},\n\nAdjuntamos la factura ${c.po}. Datos bancarios para el pago:\n\n${c.bank}\n\nSaludos,\n${c.name}`,
  }),
  pt: (c) => ({
    subject: `Fatura ${c.po}`,
    text: `Prezada ${c.me},\n\nSegue a fatura ${c.po}. Dados para pagamento:\n\n${c.bank}\n\nAtenciosamente,\n${c.name}`,
  }),
  fr: (c) => ({
    subject: `Facture ${c.po}`,
    text: `Bonjour ${c.me},\n\nVeuillez trouver la facture ${c.po}. Paiement sur notre compte habituel :\n\n${c.bank}\n\nCordialement,\n${c.name}`,
  }),
  de: (c) => ({
    subject: `Rechnung ${c.po}`,
    text: `Hallo ${c.me},\n\nanbei die Rechnung ${c.po}. Bitte überweisen Sie auf unser bekanntes Konto:\n\n${c.bank}\n\nMit freundlichen Grüßen\n${c.name}`,
  }),
  ru: (c) => ({
    subject: `Счёт ${c.po}`,
    text: `Добрый день, ${c.me}!\n\nВо вложении счёт ${c.po}. Оплата на наш счёт:\n\n${c.bank}\n\nС уважением,\n${c.name}`,
  }),
  ar: (c) => ({
    subject: `فاتورة ${c.po}`,
    text: `مرحبا ${c.me}،\n\nمرفق الفاتورة ${c.po}. يرجى الدفع إلى حسابنا المعتاد:\n\n${c.bank}\n\nمع التحية،\n${c.name}`,
  }),
  tr: (c) => ({
    subject: `Fatura ${c.po}`,
    text: `Merhaba ${c.me},\n\n${c.po} numaralı fatura ektedir. Ödeme bilgilerimiz:\n\n${c.bank}\n\nSaygılarımızla,\n${c.name}`,
  }),
  it: (c) => ({
    subject: `Fattura ${c.po}`,
    text: `Buongiorno ${c.me},\n\nin allegato la fattura ${c.po}. Pagamento sul nostro conto abituale:\n\n${c.bank}\n\nCordiali saluti,\n${c.name}`,
  }),
};

/** "Our account changed": the heart of payment-diversion fraud, several wordings per language. */
export const BANK_CHANGE = {
  en: [
    (c) => ({
      subject: `Updated banking details - Invoice ${c.po}`,
      text: `Dear ${c.me},\n\nPlease be informed that our bank account has changed due to an ongoing audit. Kindly remit the balance of ${c.po} to our new account below:\n\n${c.bank}\n\nPlease do not make any payment to the old account.\n\nRegards,\n${c.name}`,
    }),
    (c) => ({
      subject: `RE: Payment ${c.po}`,
      text: `Hi ${c.me},\n\nWe have changed our bank, so payments should now be made to the following new account:\n\n${c.bank}\n\nPlease confirm once done.\n\n${c.name}`,
    }),
    (c) => ({
      subject: `Change of beneficiary account`,
      text: `Good day,\n\nOur previous account is under review and cannot receive funds. Please use the new bank details for invoice ${c.po}:\n\n${c.bank}\n\nThanks,\n${c.name}`,
    }),
  ],
  zh: [
    (c) => ({
      subject: `重要通知:收款账户变更`,
      text: `${c.me} 您好,\n\n由于公司年审,我司账户已变更,原账户已冻结。请将 ${c.po} 的尾款汇入以下新账户:\n\n${c.bank}\n\n请勿再汇款到原账户。\n\n${c.name}`,
    }),
    (c) => ({
      subject: `回复: ${c.po} 付款`,
      text: `您好,\n\n我们更换了新的收款账户,请按以下信息付款:\n\n${c.bank}\n\n付款后请发水单。\n${c.name}`,
    }),
  ],
  es: [
    (c) => ({
      subject: `Cambio de cuenta bancaria`,
      text: `Estimada ${c.me},\n\nLe informamos que hemos cambiado de cuenta bancaria. Por favor realice el pago de la factura ${c.po} a nuestra nueva cuenta:\n\n${c.bank}\n\nNo realice pagos a la cuenta anterior.\n\n${c.name}`,
    }),
    (c) => ({
      subject: `RE: Factura ${c.po}`,
      text: `Hola,\n\nDebido a una auditoría, nuestros datos bancarios han cambiado:\n\n${c.bank}\n\nSaludos,\n${c.name}`,
    }),
  ],
  pt: [
    (c) => ({
      subject: `Alteração de dados bancários`,
      text: `Prezada ${c.me},\n\nInformamos que os nossos dados bancários foram alterados. Favor efetuar o pagamento da fatura ${c.po} na nova conta:\n\n${c.bank}\n\n${c.name}`,
    }),
  ],
  fr: [
    (c) => ({
      subject: `Changement de coordonnées bancaires`,
      text: `Bonjour ${c.me},\n\nSuite à un contrôle fiscal, nous avons changé de banque. Merci de régler la facture ${c.po} sur notre nouveau compte :\n\n${c.bank}\n\nCordialement,\n${c.name}`,
    }),
    (c) => ({
      subject: `RE: Facture ${c.po}`,
      text: `Bonjour,\n\nVeuillez noter nos nouvelles coordonnées bancaires :\n\n${c.bank}\n\n${c.name}`,
    }),
  ],
  de: [
    (c) => ({
      subject: `Neue Bankverbindung`,
      text: `Hallo ${c.me},\n\nbitte beachten Sie unsere neue Bankverbindung. Die Rechnung ${c.po} überweisen Sie bitte auf folgendes Konto:\n\n${c.bank}\n\nBitte nicht mehr auf das alte Konto zahlen.\n\nGrüße\n${c.name}`,
    }),
    (c) => ({
      subject: `AW: Rechnung ${c.po}`,
      text: `Hallo,\n\nunsere Bankverbindung hat sich geändert:\n\n${c.bank}\n\nDanke\n${c.name}`,
    }),
  ],
  ru: [
    (c) => ({
      subject: `Изменение реквизитов`,
      text: `Добрый день, ${c.me}!\n\nСообщаем, что наши банковские реквизиты изменены. Оплату по счёту ${c.po} просим производить на новый счёт:\n\n${c.bank}\n\nС уважением,\n${c.name}`,
    }),
  ],
  ar: [
    (c) => ({
      subject: `تغيير الحساب البنكي`,
      text: `مرحبا ${c.me}،\n\nنود إعلامكم بأنه تم تغيير الحساب البنكي الخاص بشركتنا. يرجى تحويل مبلغ الفاتورة ${c.po} إلى الحساب الجديد:\n\n${c.bank}\n\nمع التحية،\n${c.name}`,
    }),
  ],
  tr: [
    (c) => ({
      subject: `Banka hesabı değişikliği`,
      text: `Merhaba ${c.me},\n\nBanka hesap numaramız değişti. ${c.po} faturasının ödemesini yeni hesabımıza yapınız:\n\n${c.bank}\n\nSaygılarımızla,\n${c.name}`,
    }),
  ],
  it: [
    (c) => ({
      subject: `Variazione coordinate bancarie`,
      text: `Buongiorno ${c.me},\n\nvi comunichiamo le nuove coordinate bancarie. Il pagamento della fattura ${c.po} va effettuato sul nuovo conto:\n\n${c.bank}\n\nCordiali saluti,\n${c.name}`,
    }),
  ],
};

export const URGENT_TAIL = {
  en: ['\n\nThis is urgent, the payment must be done today.', '\n\nPlease treat as urgent.', ''],
  zh: ['\n\n请今天务必安排付款,谢谢。', '\n\n紧急,请尽快处理。', ''],
  es: ['\n\nEs urgente, por favor pague hoy mismo.', ''],
  pt: ['\n\nÉ urgente, favor pagar hoje mesmo.', ''],
  fr: ["\n\nC'est urgent, merci de payer au plus vite.", ''],
  de: ['\n\nEs ist dringend, bitte heute noch überweisen.', ''],
  ru: ['\n\nСрочно, оплатите сегодня же.', ''],
  ar: ['\n\nالأمر عاجل، يرجى الدفع فورا.', ''],
  tr: ['\n\nAcil, lütfen bugün içinde ödeyin.', ''],
  it: ['\n\nÈ urgente, pagate oggi stesso.', ''],
};

export const SECRET_TAIL = {
  en: ['\n\nI am in a meeting all day, email only please. Keep this confidential.', '\n\nDo not call, I cannot take calls now.'],
  zh: ['\n\n我正在开会,不方便接电话,只用邮件联系。此事请保密。'],
  es: ['\n\nEstoy en una reunión, no llame por favor.'],
  pt: ['\n\nEstou em reunião, não ligue por favor.'],
  fr: ["\n\nJe suis en réunion, n'appelez pas."],
  de: ['\n\nBin in einer Besprechung, bitte nicht anrufen.'],
  ru: ['\n\nЯ на совещании, не звоните.'],
  ar: ['\n\nأنا في اجتماع، لا تتصل.'],
  tr: ['\n\nToplantıdayım, aramayın.'],
  it: ['\n\nSono in riunione, non chiamate.'],
};

export { pick };
