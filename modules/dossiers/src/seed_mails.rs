//! Seed 003's mail texts, word for word as the seed writes them (its
//! quirks included: they are what offices paste). The module's default
//! activation and reset mails; the tests render them against the seed.

/// Activeer het persoonlijk klantportaal (FORMEEL).
pub const ACTIVATE_FORMAL: &str = "{dossier.salutation},

Naar aanleiding van ons contact hebben wij voor u een persoonlijk portaal aangemaakt. Op dit portaal vindt u onder andere onze contactgegevens en belangrijke documenten. Wanneer we voor u aan de slag zijn om bijvoorbeeld een hypotheek aan te vragen, dan ziet u op het portaal wat de status van de aanvraag is. Hebben we documenten of informatie van u nodig, dan worden er actiepunten voor u opengezet op het portaal. Zijn er nieuwe actiepunten dan wordt u hierop door ons geattendeerd met bijvoorbeeld een e-mail.

Wachtwoord instellen

Hieronder vindt u uw inlognaam en een persoonlijke link om uw portaal te activeren.

{dossier.links_set_password_formatted}

De activatielink is 48 uur geldig, mocht u niet binnen die tijd in de gelegenheid zijn een wachtwoord in te stellen. Ga dan via de link naar het persoonlijk portaal en kies voor 'Wachtwoord vergeten', u ontvangt automatisch een link waarmee u alsnog uw wachtwoord kan instellen.

Dubbele inlog op uw portaal middels 2-factor authenticatie

U kunt uw portaal extra beveiligen met een extra inlog middels 2-factor authenticatie. Log in op het portaal en klik op Instellingen om te zien hoe u dit in kunt stellen.

{dossier.advisor_email_signature}";

/// Activeer het persoonlijk klantportaal (INFORMEEL).
pub const ACTIVATE_INFORMAL: &str = "{dossier.salutation},

Naar aanleiding van ons contact hebben wij voor jou een persoonlijk portaalaangemaakt. Op dit portaal vind je onder andere onze contactgegevens en belangrijke documenten. Wanneer we voor jou aan de slag zijn om bijvoorbeeld een hypotheek aan te vragen, dan zie je op het portaal wat de status van de aanvraag is. Hebben we documenten of informatie van je nodig, dan worden er actiepunten voor jou opengezet op het portaal. Zijn er nieuwe actiepunten dan word je hierop door ons geattendeerd met bijvoorbeeld een e-mail.

Wachtwoord instellen

Hieronder vind je jouw inlognaam en een persoonlijke link om jouw portaal te activeren.

{dossier.links_set_password_formatted}

De activatielink is 48 uur geldig, mocht je niet binnen die tijd in de gelegenheid zijn een wachtwoord in te stellen. Ga dan via de link naar het persoonlijk portaal en kies voor 'Wachtwoord vergeten', je ontvangt automatisch een link waarmee je alsnog jouw wachtwoord kunt instellen.

Dubbele inlog op jouw portaal met 2-factor authenticatie

Je kunt jouw portaal extra beveiligen met een extra inlog middels 2-factor authenticatie. Log in op het portaal en klik op Instellingen om te zien hoe je dit in kunt stellen.

{dossier.advisor_email_signature}";

/// Activeer het persoonlijk klantportaal met automatische meervoudsvorm (INFORMEEL).
pub const ACTIVATE_INFORMAL_PLURAL: &str = "{dossier.salutation},

Naar aanleiding van ons contact hebben wij voor {dossier.jou_jullie} een persoonlijk portaal aangemaakt. Op dit portaal {dossier.vindje_vindenjullie} onder andere onze contactgegevens en belangrijke documenten. Wanneer we voor {dossier.jou_jullie} aan de slag zijn om bijvoorbeeld een hypotheek aan te vragen, dan is op het portaal te zien wat de status van de aanvraag is. Hebben we documenten of informatie van {dossier.je_jullie} nodig, dan worden er actiepunten voor {dossier.jou_jullie} opengezet op het portaal. Wanneer er nieuwe actiepunten zijn, dan {dossier.krijgje_krijgenjullie} hier automatisch een e-mail van.

Wachtwoord instellen

Hieronder {dossier.vindje_vindenjullie} de inlognaam en een persoonlijke link om het portaal te activeren.

{dossier.links_set_password_formatted}

De activatielink is 48 uur geldig, {dossier.mochtje_mochtenjullie} niet binnen die tijd in de gelegenheid zijn een wachtwoord in te stellen. Ga dan via de link naar het persoonlijk portaal en kies voor 'Wachtwoord vergeten', {dossier.jeontvangt_jullieontvangen} dan automatisch een link waarmee {dossier.je_jullie} alsnog een wachtwoord {dossier.kunt_kunnen} instellen.

Dubbele inlog op {dossier.jouw_jullie} portaal met 2-factor authenticatie

Je kunt het portaal extra beveiligen met een extra inlog middels 2-factor authenticatie. Log in op het portaal en klik op Instellingen om te zien hoe {dossier.je_jullie} dit in {dossier.kunt_kunnen} stellen.

{dossier.advisor_email_signature}";

/// Wachtwoord opnieuw instellen klantportaal (FORMEEL).
pub const RESET_FORMAL: &str = "{dossier.salutation},

U heeft aangegeven dat u uw wachtwoord voor uw persoonlijke portaal bent vergeten. Hieronder vindt u uw inlognaam en een persoonlijke link om uw portaal te activeren.

{dossier.links_set_password_formatted}

De link is 48 uur geldig, mocht u niet binnen 48 uur na het verzenden van deze e-mail in de gelegenheid zijn om in te loggen, klik dan nogmaals op de link en kies voor 'wachtwoord vergeten', u krijgt dan vrijwel direct een e-mail waarmee u alsnog een wachtwoord kunt instellen.

{dossier.owner_email_signature}";

/// Wachtwoord opnieuw instellen klantportaal (INFORMEEL).
pub const RESET_INFORMAL: &str = "{dossier.salutation},

Je hebt aangegeven dat je jouw wachtwoord voor het persoonlijke portaal bent vergeten. Hieronder vind je jouw inlognaam en een persoonlijke link om jouw portaal te activeren

{dossier.links_set_password_formatted}

De link is 48 uur geldig, mocht je niet binnen 48 uur na het verzenden van deze e-mail in de gelegenheid zijn om in te loggen, klik dan nogmaals op de link en kies voor 'wachtwoord vergeten', je krijgt dan vrijwel direct een e-mail waarmee je alsnog een wachtwoord kunt instellen.

{dossier.owner_email_signature}";
