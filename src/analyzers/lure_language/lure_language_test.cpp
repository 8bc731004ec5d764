// lure_language: every category fires in English and French, accent and case variants fire, the
// score grows with combined lures, honest mail stays silent, and hostile text stays bounded.
#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>

#include "analyzers/lure_language/lure_list.h"
#include "vigie/engine.h"

namespace vigie {
namespace {

const Engine& engine() {
  static const Engine instance{Config{}};
  return instance;
}

struct LureResult {
  std::vector<Finding> findings;  // lure_language findings only
  double score = 0;               // their summed contribution
  bool has(std::string_view id) const {
    return std::any_of(findings.begin(), findings.end(), [&](const Finding& f) { return f.id == id; });
  }
  std::string evidence() const {
    std::string all;
    for (const Finding& f : findings)
      for (const Evidence& e : f.evidence) all += f.id + " " + e.field + " " + e.value + "\n";
    return all;
  }
};

LureResult scan(std::string_view subject, std::string_view body,
                std::string_view content_type = "text/plain; charset=utf-8") {
  std::string raw = "From: a@example.org\nTo: b@example.org\nSubject: " + std::string(subject) +
                    "\nMIME-Version: 1.0\nContent-Type: " + std::string(content_type) +
                    "\nContent-Transfer-Encoding: 8bit\n\n" + std::string(body) + "\n";
  const ScanResult r = engine().scan(std::make_shared<const std::string>(std::move(raw)), Envelope{});
  LureResult out;
  for (const Finding& f : r.findings) {
    if (f.analyzer != "lure_language") continue;
    out.findings.push_back(f);
    out.score += f.score;
  }
  return out;
}

struct CategoryCase {
  const char* category;
  const char* finding;
  const char* text;
};

// One text per category and language, written for these tests.
const CategoryCase kCategoryCases[] = {
    {"credentials_expiring", "LURE_ACCOUNT_CREDENTIALS", "Your Office 365 password expires today. Keep your current password below."},
    {"credentials_expiring", "LURE_ACCOUNT_CREDENTIALS", "Votre mot de passe va expirer. Cliquez pour conserver votre mot de passe actuel."},
    {"password_reset", "LURE_ACCOUNT_CREDENTIALS", "Please change your password immediately using the portal."},
    {"password_reset", "LURE_ACCOUNT_CREDENTIALS", "Modifiez votre mot de passe immédiatement depuis le portail."},
    {"mailbox_full", "LURE_ACCOUNT_CREDENTIALS", "Your mailbox is almost full. 14 incoming messages are on hold."},
    {"mailbox_full", "LURE_ACCOUNT_CREDENTIALS", "Votre boîte aux lettres est saturée : 12 courriels en attente."},
    {"verify_identity", "LURE_ACCOUNT_CREDENTIALS", "We were unable to verify your account. Confirm your identity."},
    {"verify_identity", "LURE_ACCOUNT_CREDENTIALS", "Merci de confirmer votre identité sans délai."},
    {"account_suspended", "LURE_ACCOUNT_CREDENTIALS", "Your account has been temporarily suspended."},
    {"account_suspended", "LURE_ACCOUNT_CREDENTIALS", "Votre compte a été temporairement suspendu."},
    // The brand named in the phrase, as most such lures do.
    {"account_suspended", "LURE_ACCOUNT_CREDENTIALS", "Your PayPal account has been limited."},
    {"account_suspended", "LURE_ACCOUNT_CREDENTIALS", "Votre compte PayPal est suspendu."},
    {"security_alert", "LURE_ACCOUNT_CREDENTIALS", "We detected unusual sign-in activity on your account."},
    {"security_alert", "LURE_ACCOUNT_CREDENTIALS", "Quelqu'un a tenté de se connecter à votre compte."},
    {"shared_document", "LURE_SHARED_DOCUMENT", "Marc shared a document with you. Sign in to view the document."},
    {"shared_document", "LURE_SHARED_DOCUMENT", "Marc a partagé un fichier avec vous. Identifiez-vous pour consulter le document."},
    {"voicemail_fax", "LURE_SHARED_DOCUMENT", "You have a new voicemail from +33 1 23 45 67 89."},
    {"voicemail_fax", "LURE_SHARED_DOCUMENT", "Vous avez reçu un nouveau message vocal."},
    {"invoice_payment", "LURE_PAYMENT", "Please find attached invoice 4471, now overdue invoice."},
    {"invoice_payment", "LURE_PAYMENT", "Votre paiement a été refusé, facture impayée."},
    {"wire_transfer", "LURE_PAYMENT", "Please note our bank details have changed; use the new account."},
    {"wire_transfer", "LURE_PAYMENT", "Suite au changement de coordonnées bancaires, voici notre nouveau RIB."},
    {"tax_refund", "LURE_PAYMENT", "You are eligible to receive a tax refund of 312.40 EUR."},
    {"tax_refund", "LURE_PAYMENT", "Vous êtes éligible à un remboursement d’impôt de 312 €."},
    {"parcel_delivery", "LURE_DELIVERY", "We were unable to deliver your parcel. A redelivery fee is required."},
    {"parcel_delivery", "LURE_DELIVERY", "Nous n'avons pas pu livrer votre colis : frais de livraison à régler."},
    {"prize", "LURE_PRIZE", "Congratulations, you have won! Claim your prize today."},
    {"prize", "LURE_PRIZE", "Félicitations, vous avez gagné ! Récupérez votre cadeau."},
    {"urgent_request_from_superior", "LURE_PRESSURE", "Are you at your desk? I need you to handle a confidential task for me."},
    {"urgent_request_from_superior", "LURE_PRESSURE", "Êtes-vous au bureau en ce moment ? Discrétion absolue."},
    // The "fraude au président" of FOVI warnings: the boss out of reach, secrecy, a transfer today.
    {"urgent_request_from_superior", "LURE_PRESSURE", "Je suis en réunion et ne peux pas être jointe par téléphone."},
    {"urgent_request_from_superior", "LURE_PRESSURE", "Merci de n'en parler à personne avant ma confirmation."},
    {"urgent_request_from_superior", "LURE_PRESSURE", "J'ai besoin que vous procédiez à une opération."},
    {"wire_transfer", "LURE_PAYMENT", "Merci de procéder aujourd'hui à un virement de 48 500 EUR."},
    {"urgent_request_from_superior", "LURE_PRESSURE", "Please keep this between us until the deal is announced."},
    {"legal_threat", "LURE_PRESSURE", "An arrest warrant has been issued; legal action will be taken."},
    {"legal_threat", "LURE_PRESSURE", "Vous faites l'objet d'une convocation judiciaire et de poursuites judiciaires."},
    {"gambling", "LURE_FRAUD_SCHEME", "Claim 200 free spins today, no deposit required!"},
    {"gambling", "LURE_FRAUD_SCHEME", "Votre bonus de bienvenue : 100 tours gratuits sans dépôt requis."},
    {"romance", "LURE_FRAUD_SCHEME", "Lonely Ukrainian women are waiting to chat with you tonight."},
    {"romance", "LURE_FRAUD_SCHEME", "Des femmes seules de votre région vous attendent."},
    {"miracle_product", "LURE_FRAUD_SCHEME", "All medications available without a prescription at our pharmacy."},
    {"miracle_product", "LURE_FRAUD_SCHEME", "Perdez jusqu'à 12 kg grâce à ce remède miracle."},
    {"investment_scam", "LURE_FRAUD_SCHEME", "Double your bitcoin with guaranteed daily returns."},
    {"investment_scam", "LURE_FRAUD_SCHEME", "Doublez votre capital grâce à nos rendements garantis."},
    {"advance_fee", "LURE_FRAUD_SCHEME", "Your compensation fund will be sent on an ATM card by diplomatic courier."},
    {"advance_fee", "LURE_FRAUD_SCHEME", "Je vous écris pour une proposition strictement confidentielle."},
    {"extortion", "LURE_FRAUD_SCHEME", "I have gained access to your device and recorded you while watching adult websites."},
    {"extortion", "LURE_FRAUD_SCHEME", "J'ai piraté votre ordinateur et vos vidéos pour adultes sont enregistrées."},
};

TEST(LureLanguageTest, EachCategoryFiresInBothLanguages) {
  for (const CategoryCase& c : kCategoryCases) {
    const LureResult r = scan("Notification", c.text);
    EXPECT_TRUE(r.has(c.finding)) << c.text << "\n" << r.evidence();
    EXPECT_NE(r.evidence().find(std::string(c.category) + ":"), std::string::npos)
        << c.category << " <- " << c.text << "\n" << r.evidence();
  }
}

// German, Dutch, Portuguese and Spanish lists (data/lures/{de,nl,pt,es}.tsv); texts written for
// these tests.
const CategoryCase kOtherLanguageCases[] = {
    {"mailbox_full", "LURE_ACCOUNT_CREDENTIALS", "Ihr Postfach ist fast voll. Eingehende Nachrichten werden zurückgehalten."},
    {"account_suspended", "LURE_ACCOUNT_CREDENTIALS", "Ihr Konto wurde vorübergehend gesperrt."},
    {"parcel_delivery", "LURE_DELIVERY", "Ihr Paket konnte nicht zugestellt werden."},
    {"prize", "LURE_PRIZE", "Herzlichen Glückwunsch, Sie haben einen Gutschein gewonnen!"},
    {"parcel_delivery", "LURE_DELIVERY", "Uw pakket kon niet worden bezorgd."},
    {"account_suspended", "LURE_ACCOUNT_CREDENTIALS", "Uw account is tijdelijk geblokkeerd."},
    {"prize", "LURE_PRIZE", "Gefeliciteerd, u hebt gewonnen!"},
    {"parcel_delivery", "LURE_DELIVERY", "Atenção: sua encomenda foi taxada."},
    {"legal_threat", "LURE_PRESSURE", "Notificação judicial em seu nome."},
    {"prize", "LURE_PRIZE", "Parabéns, você ganhou um prêmio!"},
    {"parcel_delivery", "LURE_DELIVERY", "Su paquete está retenido en aduanas."},
    {"account_suspended", "LURE_ACCOUNT_CREDENTIALS", "Su cuenta ha sido suspendida temporalmente."},
    {"prize", "LURE_PRIZE", "Reclame su premio hoy."},
    {"gambling", "LURE_FRAUD_SCHEME", "Holen Sie sich 300 Freispiele, Bonus ohne Einzahlung!"},
    {"romance", "LURE_FRAUD_SCHEME", "Einsame Frauen aus Ihrer Nähe suchen Kontakt."},
    {"gambling", "LURE_FRAUD_SCHEME", "Geen storting vereist: claim 50 gratis spins."},
    {"miracle_product", "LURE_FRAUD_SCHEME", "Medicijnen zonder recept, direct geleverd."},
    {"gambling", "LURE_FRAUD_SCHEME", "Deposite agora e ative o bônus de 250%."},
    {"investment_scam", "LURE_FRAUD_SCHEME", "Multiplique seu dinheiro com renda garantida."},
    {"miracle_product", "LURE_FRAUD_SCHEME", "Medicamentos sin receta médica con envío gratis."},
    {"extortion", "LURE_FRAUD_SCHEME", "He hackeado tu ordenador y tengo tus contraseñas."},
};

TEST(LureLanguageTest, GermanDutchPortugueseSpanishLuresFire) {
  for (const CategoryCase& c : kOtherLanguageCases) {
    const LureResult r = scan("Notification", c.text);
    EXPECT_TRUE(r.has(c.finding)) << c.text << "\n" << r.evidence();
    EXPECT_NE(r.evidence().find(std::string(c.category) + ":"), std::string::npos)
        << c.category << " <- " << c.text << "\n" << r.evidence();
  }
}

TEST(LureLanguageTest, GermanDutchPortugueseSpanishBenignMailStaysSilent) {
  const char* const kBenign[][2] = {
      {"Protokoll der Sitzung",
       "Hallo Anna, anbei das Protokoll unserer Sitzung vom Dienstag. Ihr Paket mit den Unterlagen ist "
       "gestern angekommen, vielen Dank. Die Rechnung für März finden Sie im Kundenportal. Viele Grüße, Jonas"},
      {"Vergadering donderdag",
       "Beste collega, de vergadering van donderdag gaat door om 10 uur. De notulen staan op het intranet. "
       "Uw pakket is gisteren bezorgd bij de receptie. Met vriendelijke groet, Pieter"},
      {"Ata da reunião",
       "Olá Maria, segue em anexo a ata da reunião de quinta-feira. O pedido de compra foi aprovado pela "
       "diretoria e o pagamento será feito no dia 10. Abraços, João"},
      {"Acta de la reunión",
       "Hola Carmen, te envío el acta de la reunión del jueves. Tu pedido de material ya ha llegado a la "
       "oficina y la factura está en el portal. Un saludo, Luis"},
  };
  for (const auto& [subject, body] : kBenign) {
    const LureResult r = scan(subject, body);
    EXPECT_TRUE(r.findings.empty()) << subject << "\n" << r.evidence();
  }
}

TEST(LureLanguageTest, AccentCaseAndObfuscationVariantsFire) {
  for (const char* text : {
           "VOTRE BOITE AUX LETTRES EST SATUREE",
           "votre boîte aux lettres est saturée",
           "Votre  boîte\naux lettres est SATURÉE",
           "Votre bo\u200Bîte aux lettres est saturée",  // zero-width space inside a word
           "𝐘𝐨𝐮𝐫 𝐦𝐚𝐢𝐥𝐛𝐨𝐱 𝐢𝐬 𝐟𝐮𝐥𝐥",                   // mathematical bold letters
       }) {
    EXPECT_TRUE(scan("Info", text).has("LURE_ACCOUNT_CREDENTIALS")) << text;
  }
  EXPECT_TRUE(scan("Remboursement d'impot disponible", "Bonjour").has("LURE_PAYMENT"));
  EXPECT_TRUE(scan("Remboursement d’impôt disponible", "Bonjour").has("LURE_PAYMENT"));
}

TEST(LureLanguageTest, ModifiersAloneNeverFire) {
  EXPECT_TRUE(scan("Last reminder", "Click here to view the agenda. Action required within 24 hours.")
                  .findings.empty());
  EXPECT_TRUE(scan("Rappel", "Cliquez ici pour consulter l'agenda, réponse requise dans les 48 heures.")
                  .findings.empty());
}

TEST(LureLanguageTest, ScoreGrowsWithCombinedLures) {
  const LureResult one = scan("Notice", "Your mailbox is full.");
  const LureResult combined = scan(
      "Final notice",
      "Your mailbox is full. Failure to do so will result in the closure of your account: "
      "to avoid the suspension of your account, click here to verify within 24 hours.");
  ASSERT_FALSE(one.findings.empty());
  EXPECT_LT(one.score, 2.0) << one.evidence();
  EXPECT_GT(combined.score, 4.0) << combined.evidence();
  EXPECT_TRUE(combined.has("LURE_PRESSURE"));
}

TEST(LureLanguageTest, EvidenceNamesLocationPhraseAndListLine) {
  const LureResult r = scan("Unusual sign-in activity", "Hello");
  ASSERT_EQ(r.findings.size(), 1u);
  const Evidence& e = r.findings[0].evidence[0];
  EXPECT_EQ(e.field, "subject");
  EXPECT_NE(e.value.find("security_alert: \"unusual sign-in activity\""), std::string::npos) << e.value;
  EXPECT_NE(e.value.find("en.tsv:"), std::string::npos) << e.value;
  // The phrase and the list line are data; the words around them are in French.
  EXPECT_EQ(e.value_fr.find("security_alert : \"unusual sign-in activity\" (motif \""), 0u) << e.value_fr;
}

TEST(LureLanguageTest, HtmlVisibleAndHiddenText) {
  const LureResult r = scan(
      "Info",
      "<html><body><div style=\"display:none\">Votre colis est en attente</div>"
      "<p>Marc shared a file with you.</p></body></html>",
      "text/html; charset=utf-8");
  EXPECT_NE(r.evidence().find("LURE_SHARED_DOCUMENT text "), std::string::npos) << r.evidence();
  EXPECT_NE(r.evidence().find("LURE_DELIVERY hidden text "), std::string::npos) << r.evidence();
}

// Honest mail written to sit close to the lures: none of it may fire.
TEST(LureLanguageTest, BenignMailStaysSilent) {
  const char* const kBenign[][2] = {
      {"Réunion du comité de pilotage — jeudi",
       "Bonjour,\nJe vous confirme la réunion du comité de pilotage jeudi à 10h en salle 204. "
       "L'ordre du jour est sur l'intranet. Merci de confirmer votre présence.\nBien cordialement,\nClaire"},
      {"Meeting invitation: quarterly review",
       "Hi all, please join the quarterly review on Thursday at 10am. Are you available for a short call "
       "beforehand? The agenda and last quarter's figures are attached. Click here to add it to your calendar."},
      {"This week in open source",
       "In this issue: a new release of the mail parser, a talk on password managers, and our reading list. "
       "Click here to read online. To change your email preferences or unsubscribe, update your profile."},
      {"IT notice: planned maintenance Saturday",
       "The mail servers will be down for maintenance on Saturday from 8 to 10. No action is needed on your "
       "part. As a reminder, never share your password with anyone, including IT staff; we will never ask "
       "for it by e-mail."},
      {"Note DSI : maintenance planifiée samedi",
       "La messagerie sera indisponible samedi de 8h à 10h pour maintenance. Aucune action n'est requise de "
       "votre part. Rappel : ne communiquez jamais votre mot de passe, la DSI ne vous le demandera jamais."},
      {"Your order has shipped",
       "Your package has been shipped and should arrive on Tuesday. Track it from your account page."},
      {"Absence",
       "Je suis en réunion toute la matinée ; je vous rappelle cet après-midi pour le virement de la "
       "subvention prévu au budget."},
      {"Facture de janvier",
       "Bonjour, vous trouverez la facture de janvier dans votre espace client. Bonne journée."},
      {"Re: patch for the boundary parser",
       "Thanks, the patch looks good. One nit: the test should also reset the password field of the fixture."},
      // The fraud families' topics in honest mail: a charity appeal, a pharmacy notice, a
      // finance newsletter, a mailing-list thread about spam.
      {"Appel aux dons",
       "Notre association organise une collecte pour les victimes des inondations. Vous pouvez faire un don "
       "en ligne ; un reçu fiscal vous sera adressé."},
      {"Your prescription is ready",
       "Your repeat prescription is ready for collection at the pharmacy. Bring your health card."},
      {"Market update",
       "Bitcoin fell 4% this week while bond yields rose. Our analysts discuss what it means for pension funds."},
      {"Re: spam filter rules",
       "The new rules catch most of the viagra and casino spam, but a few lottery mails still slip through. "
       "I will hook up the Bayes classifier tomorrow."},
  };
  for (const auto& [subject, body] : kBenign) {
    const LureResult r = scan(subject, body);
    EXPECT_TRUE(r.findings.empty()) << subject << "\n" << r.evidence();
  }
}

TEST(LureLanguageTest, HostileTextStaysBounded) {
  // Every lure of the test table, repeated until the message is several megabytes.
  std::string body;
  while (body.size() < 4u << 20) {
    for (const CategoryCase& c : kCategoryCases) (body += c.text) += ' ';
  }
  const auto start = std::chrono::steady_clock::now();
  const LureResult r = scan("Your mailbox is full", body);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  std::size_t evidence = 0;
  for (const Finding& f : r.findings) evidence += f.evidence.size();
  EXPECT_LE(evidence, analyzers::lure_language::kFamilyCount * 8u);  // at most 8 evidence lines per family
  EXPECT_FALSE(r.findings.empty());
  // A generous bound that still catches a runaway (quadratic) scan.
  EXPECT_LT(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count(), 20);
}

}  // namespace
}  // namespace vigie
