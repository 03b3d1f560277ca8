# Nederlandse teksten van het klantportaal.
# Schrijf voor klanten, niet voor technici: spreek de lezer aan met "u",
# houd zinnen kort en vertel wat de klant nu kan doen.
# Houd dezelfde sleutels aan als in en.ftl.

## Algemeen

portal-title = Klantportaal
skip-link = Naar de hoofdinhoud

## Navigatie en kop

nav-label = Hoofdmenu
nav-home = Home
header-customer-number = Klantnummer
header-settings = Instellingen
header-logout = Uitloggen
header-menu = Menu
# Seed 004: the header's Help mails customer service.
header-help = Hulp
start-heading = Hoe kunnen wij helpen?
start-login = Log in op uw klantportaal
lang-switch-label = Taal kiezen
lang-nl = Nederlands
lang-en = English

## Voettekst

footer-contact = Contact
footer-support-email = E-mailadres support
footer-website = Website
footer-phone = Ondersteuningslijn

## Berichten (bericht neutraal, waarschuwing, belangrijk)

message-kind-neutral = Bericht
message-kind-warning = Waarschuwing
message-kind-important = Belangrijk

## Formulieren

form-error-summary = Controleer het volgende
form-required = verplicht

## Startpagina

home-title = Home
home-heading = Hoe kunnen wij helpen?
home-intro = Hier regelt u uw zaken met ons. Bekijk uw gegevens, stel een vraag of geef een wijziging door, wanneer het u uitkomt.

## Foutpagina's

error-correlation = Neemt u contact met ons op? Noem dan deze code:
error-back-home = Terug naar de startpagina

error-400-title = Dit verzoek kunnen wij niet verwerken
error-400-message = Er ging iets mis bij het versturen. Ga terug naar de vorige pagina, controleer wat u heeft ingevuld en probeer het opnieuw.

error-403-title = Geen toegang
error-403-message = U heeft geen toegang tot deze pagina. Misschien bent u uitgelogd of gebruikt u een ander account. Log opnieuw in en probeer het nog een keer.

error-404-title = Pagina niet gevonden
error-404-message = Deze pagina bestaat niet (meer). Controleer of het adres goed is geschreven, of ga terug naar de vorige pagina.

error-405-title = Dit kan hier niet
error-405-message = Deze handeling is op deze pagina niet mogelijk. Ga terug naar de vorige pagina en probeer het opnieuw.

error-413-title = Te groot om te versturen
error-413-message = Wat u probeert te versturen is te groot. Kies een kleiner bestand of verstuur minder bestanden tegelijk en probeer het opnieuw.

error-500-title = Er ging iets mis
error-500-message = Er ging aan onze kant iets mis. Dat ligt niet aan u. Probeer het over een paar minuten opnieuw. Lukt het dan nog steeds niet? Neem contact met ons op en noem de code hieronder.

error-503-title = Tijdelijk niet beschikbaar
error-503-message = Het klantportaal is even niet beschikbaar, bijvoorbeeld door onderhoud. Probeer het over een paar minuten opnieuw.

csrf-failed-title = Het formulier is verlopen
csrf-failed-message = Uw formulier is verlopen of is niet via deze pagina verstuurd. Dat gebeurt bijvoorbeeld als een pagina lang open heeft gestaan. Ga terug, laad de pagina opnieuw en probeer het nog een keer.

## Ontwikkelmailbox

mailbox-title = Mailbox (ontwikkeling)
mailbox-intro = Dit portaal verstuurt geen e-mail: berichten blijven hier staan, zodat u links in uitnodigingen en herstelmails kunt volgen.
mailbox-empty = Er zijn nog geen berichten.
mailbox-date = Datum
mailbox-from = Van
mailbox-to = Aan
mailbox-subject = Onderwerp
mailbox-status = Status
mailbox-status-queued = in de wachtrij
mailbox-status-sending = wordt verstuurd
mailbox-status-sent = afgeleverd
mailbox-status-failed = mislukt
mailbox-html-view = HTML-weergave openen
mailbox-text-view = Tekstversie
mailbox-back = ← Terug naar de mailbox

## Inloggen

login-title = Inloggen
login-heading = Inloggen
login-submit = Inloggen
login-bye = U bent uitgelogd.
login-password-set = Uw wachtwoord is ingesteld. U kunt nu inloggen.
login-failed-customer_number_email = Deze combinatie van klantnummer, e-mailadres en wachtwoord kennen we niet. Controleer wat u hebt ingevuld en probeer het opnieuw.
login-failed-username = Deze combinatie van gebruikersnaam en wachtwoord kennen we niet. Controleer wat u hebt ingevuld en probeer het opnieuw.
login-failed-email = Deze combinatie van e-mailadres en wachtwoord kennen we niet. Controleer wat u hebt ingevuld en probeer het opnieuw.
login-reset-your-password = Reset uw wachtwoord
login-unconfirmed = U hebt uw e-mailadres nog niet bevestigd. Klik op de link in de bevestigingsmail die we u hebben gestuurd. Geen mail ontvangen? Kijk ook in uw map met ongewenste e-mail, of vraag een nieuwe aan.
login-resend-confirmation = Stuur de bevestigingsmail opnieuw
login-forgot = Wachtwoord vergeten of ophalen?
login-register = Nog geen account? Registreer u
login-totp-wrong = Deze code klopt niet of is al gebruikt. Wacht op de volgende code in uw app en probeer het opnieuw.
field-customer-number = Klantnummer
field-email = E-mailadres
field-username = Gebruikersnaam
field-username-or-email = Gebruikersnaam of e-mailadres
field-password = Wachtwoord
field-new-password = Nieuw wachtwoord
field-repeat-password = Herhaal het nieuwe wachtwoord
field-current-password = Huidig wachtwoord
field-totp-code = Code uit uw authenticator-app
field-language = Taal
back-to-login = Terug naar inloggen

## Tweestapsverificatie bij het inloggen

totp-title = Code invoeren
totp-heading = Voer uw code in
totp-intro = Open de authenticator-app op uw telefoon en vul de code van zes cijfers in.
totp-submit = Bevestigen
totp-cancel = Annuleren

## Wachtwoord vergeten en links

forgot-title = Wachtwoord vergeten
forgot-heading = Wachtwoord opvragen
forgot-intro = Vul uw gegevens in. Als we een account vinden, sturen we u een e-mail met een link om een nieuw wachtwoord in te stellen.
forgot-submit = Stuur mij een link
forgot-sent = Als de gegevens bij een account horen, hebben we een e-mail met een link gestuurd. Kijk ook in uw map met ongewenste e-mail.
reset-title = Nieuw wachtwoord
reset-heading = Kies een nieuw wachtwoord
reset-intro = Kies een nieuw wachtwoord voor uw account.
reset-submit = Wachtwoord opslaan
reset-identity-intro = Vul ter controle uw klantnummer en e-mailadres nog een keer in.
reset-identity-mismatch = Dit klantnummer en e-mailadres horen niet bij deze link. Controleer wat u hebt ingevuld.
invite-title = Wachtwoord instellen
invite-heading = Welkom! Stel uw wachtwoord in
invite-intro = Kies een wachtwoord. Daarmee logt u voortaan in op het portaal.
invite-submit = Wachtwoord instellen
link-spent-heading = Deze link werkt niet meer
link-spent-text = De link is verlopen of al gebruikt. Vraag een nieuwe link aan; die sturen we u per e-mail.
link-spent-new = Vraag een nieuwe link aan
confirm-spent-text = De bevestigingslink is verlopen of al gebruikt. Log in met uw e-mailadres en wachtwoord; daarna kunt u een nieuwe bevestigingsmail aanvragen.
confirm-title = E-mailadres bevestigen
confirm-intro = Klik op de knop om uw e-mailadres te bevestigen. Daarna kunt u inloggen.
confirm-submit = Bevestig mijn e-mailadres
confirm-done-heading = E-mailadres bevestigd
confirm-done-text = Bedankt! Uw e-mailadres is bevestigd. U kunt nu inloggen.
resend-heading = Bevestigingsmail
resend-text = Als er een account is dat nog bevestigd moet worden, hebben we de bevestigingsmail opnieuw gestuurd.

## Registreren

register-title = Registreren
register-heading = Account aanmaken
register-intro = Vul uw klantnummer in (u vindt het op uw factuur) en kies het e-mailadres waarmee u wilt inloggen. We sturen u een e-mail om het adres te bevestigen.
register-submit = Account aanmaken
register-sent-heading = Kijk in uw mailbox
register-sent-text = Als uw klantnummer bij ons bekend is en er nog geen account voor is, hebben we een e-mail gestuurd. Klik op de link in die e-mail om uw account te bevestigen.
register-bad-number = Vul uw klantnummer in.
register-bad-email = Vul een geldig e-mailadres in, bijvoorbeeld naam@voorbeeld.nl.

## Wachtwoordregels

pw-help = Minstens { $min } tekens. Een zin van een paar woorden is sterk en goed te onthouden.
pw-help-composition = Minstens { $min } tekens, met een hoofdletter, een cijfer en een leesteken of ander symbool.
pw-too-short = Het wachtwoord is te kort: gebruik minstens { $n } tekens.
pw-too-long = Het wachtwoord is te lang: gebruik hoogstens { $n } tekens.
pw-weak-year = Dit wachtwoord is makkelijk te raden: een jaartal of datum helpt weinig. Maak het langer, bijvoorbeeld met een paar losse woorden.
pw-weak-word = Dit wachtwoord is makkelijk te raden: het is (bijna) een bekend woord of wachtwoord. Maak het langer, bijvoorbeeld met een paar losse woorden.
pw-weak-pattern = Dit wachtwoord is makkelijk te raden: een rij toetsen, een herhaling of een reeks helpt weinig. Kies iets anders, bijvoorbeeld een paar losse woorden.
pw-weak = Dit wachtwoord is makkelijk te raden. Maak het langer, bijvoorbeeld met een paar losse woorden.
pw-common = Dit wachtwoord wordt veel gebruikt en is daardoor makkelijk te raden. Kies een ander.
pw-context = Het wachtwoord mag uw naam, e-mailadres, klantnummer of de naam van de organisatie niet bevatten.
pw-needs-upper = Gebruik minstens één hoofdletter.
pw-needs-digit = Gebruik minstens één cijfer.
pw-needs-symbol = Gebruik minstens één leesteken of ander symbool, zoals ! of #.
pw-mismatch = De twee wachtwoorden zijn niet gelijk.

## Instellingen

settings-title = Instellingen
settings-heading = Instellingen
settings-account = Uw account
settings-language = Taal
settings-save = Opslaan
settings-password = Wachtwoord wijzigen
settings-password-submit = Wachtwoord wijzigen
settings-wrong-password = Het huidige wachtwoord klopt niet.
settings-totp = Tweestapsverificatie
settings-totp-on = Tweestapsverificatie staat aan. Bij het inloggen vragen we een code uit uw app.
settings-totp-off = Tweestapsverificatie staat uit. Zet haar aan voor extra bescherming: bij het inloggen vragen we dan ook een code uit een app op uw telefoon.
settings-totp-enable = Tweestapsverificatie aanzetten
settings-totp-disable = Tweestapsverificatie uitzetten
settings-sessions = Overal uitloggen
settings-sessions-intro = Ingelogd op een computer die niet van u is, of uw telefoon kwijt? Log dan overal uit, ook hier.
settings-logout-all = Overal uitloggen
settings-done-password = Uw wachtwoord is gewijzigd. Op andere apparaten bent u uitgelogd.
settings-done-language = Uw taal is opgeslagen.
settings-done-totp-on = Tweestapsverificatie staat nu aan.
settings-done-totp-off = Tweestapsverificatie staat nu uit.
totp-setup-title = Tweestapsverificatie aanzetten
totp-setup-heading = Tweestapsverificatie aanzetten
totp-setup-step-app = Installeer een authenticator-app op uw telefoon, bijvoorbeeld Google Authenticator, Microsoft Authenticator of FreeOTP.
totp-setup-step-scan = Scan deze QR-code met de app.
totp-setup-manual = Lukt scannen niet? Voer dan deze sleutel in de app in:
totp-setup-step-code = Vul de code van zes cijfers in die de app nu toont.
totp-setup-submit = Aanzetten
totp-setup-cancel = Annuleren

## Instellingen van het inloggen (voor medewerkers)

setting-auth-login-mode = Manier van inloggen
setting-auth-password-min-length = Minimale lengte van een wachtwoord
setting-auth-password-composition = Wachtwoord met hoofdletter, cijfer en symbool
setting-auth-reset-valid = Geldigheid van een resetlink (minuten)
setting-auth-invite-valid = Geldigheid van een uitnodiging (uren)
setting-auth-confirm-valid = Geldigheid van een bevestigingslink (uren)
setting-auth-session-idle = Uitloggen na inactiviteit (minuten)
setting-auth-session-absolute = Uitloggen na (uren)
setting-auth-registration = Klanten mogen zich registreren
setting-auth-staff-set-password = Medewerkers mogen een wachtwoord instellen
setting-auth-username-label = Naam van het veld gebruikersnaam op de inlogpagina (Nederlands | Engels; leeg: de standaardtekst)

## Mijn organisatie

header-organisation = Mijn organisatie
org-title = Mijn organisatie
org-heading = Mijn organisatie
org-details = Gegevens
org-name = Naam
org-phone = Telefoon
org-invoice-address = Factuuradres
org-correspondence-address = Correspondentieadres
org-payment-method = Betaalwijze
org-locations = Locaties
org-contacts = Contactpersonen
org-role-admin = Beheerder
org-role-employee = Medewerker
org-role-employee-plus = Medewerker+
org-active = Actief
org-yes = Ja
org-no = Nee

## Activiteit

org-activity = Activiteit
org-activity-when = Wanneer
org-activity-who = Account
org-activity-what = Wat
activity-login = Ingelogd
activity-login-password = Wachtwoord goed, code gevraagd
activity-login-totp-failed = Verkeerde code bij inloggen
activity-logout = Uitgelogd
activity-logout-everywhere = Overal uitgelogd
activity-password-changed = Wachtwoord gewijzigd
activity-password-reset = Wachtwoord opnieuw ingesteld
activity-password-reset-requested = Nieuw wachtwoord aangevraagd
activity-password-set = Eerste wachtwoord ingesteld
activity-password-set-by-staff = Wachtwoord ingesteld door medewerker
activity-totp-enabled = Tweestapsverificatie aangezet
activity-totp-disabled = Tweestapsverificatie uitgezet
activity-totp-reset-by-staff = Tweestapsverificatie uitgezet door medewerker
activity-account-created = Account aangemaakt
activity-account-activated = Account geactiveerd
activity-account-deactivated = Account gedeactiveerd
activity-account-deleted = Account verwijderd
activity-email-changed = E-mailadres gewijzigd
activity-link-invite-sent = Uitnodiging verstuurd
activity-link-reset-sent = Resetlink verstuurd
activity-sessions-ended-by-staff = Uitgelogd door medewerker
activity-registered = Geregistreerd
activity-registration-confirmed = Registratie bevestigd
setting-auth-customer-set-password = De beheerder van een klant mag het wachtwoord instellen van een account dat hij toevoegt
people-tab-organisation = Organisatie
people-tab-personal = Persoonlijke gegevens
people-tab-contacts = Contactpersonen
people-edit = Aanpassen
people-manage = Contactpersonen beheren
people-save = Aanpassen
people-create = Aanmaken
people-cancel = Annuleren
people-add = Contactpersoon toevoegen
people-name = Naam
people-first-name = Voornaam
people-last-name = Achternaam
people-gender = Geslacht
people-gender-female = Vrouw
people-gender-male = Man
people-gender-other = Anders
people-choose = Kies…
people-roles = Autorisatierol
people-roles-help = Medewerker+ ziet ook de tickets van collega's; zet dit alleen aan samen met Medewerker. Beheerders zien alles van de organisatie, ook facturen en het abonnement.
people-login = Inloggen
people-login-email = E-mail portaltoegang
people-login-email-help = Met dit adres logt u in. Een wijziging wordt bevestigd op het oude en het nieuwe adres.
people-confirm-password = Uw wachtwoord van het klantportaal
people-confirm-password-help = Bevestig de wijziging met uw eigen wachtwoord.
people-password-optional = Stel zelf een wachtwoord in, of laat dit leeg om een uitnodiging te sturen.
people-invite-note = De contactpersoon ontvangt per e-mail een uitnodiging om een wachtwoord in te stellen.
people-main-account = hoofdaccount
people-col-admin = Beh.
people-col-employee = Mdw.
people-col-employee-plus = Mdw+
people-rights = Rechten
people-rights-set = Rechten instellen
people-rights-intro = Per locatie: leesrechten (inzien) en schrijfrechten (wijzigen). Schrijfrechten geven ook leesrechten.
people-rights-children = Andere klanten die dit account mag inzien
people-rights-no-locations = Uw organisatie heeft nog geen locaties.
people-right-read = Lezen
people-right-write = Schrijven
people-personal-intro = Bekijk en wijzig hier zelf uw persoonlijke gegevens.
people-org-edit = Organisatiegegevens aanpassen
people-org-edit-intro = Wijzigingen worden vastgelegd; onze administratie kan ze bij de volgende bijwerking overschrijven.
people-done-saved = Uw wijzigingen zijn opgeslagen.
people-done-added = De contactpersoon is toegevoegd en ontvangt een uitnodiging per e-mail.
people-error-required = Vul dit veld in.
people-error-too-long = Dit is te lang of bevat tekens die niet zijn toegestaan.
people-error-gender = Kies een geslacht.
people-error-email = Vul een e-mailadres in zoals naam@voorbeeld.nl.
people-error-email-taken = Dit e-mailadres kan hier niet worden gebruikt. Kies een ander adres.
people-error-username-taken = Deze inlognaam is al in gebruik.
people-error-plus-needs-employee = Medewerker+ kan alleen samen met Medewerker aan.
people-error-no-role = Kies minstens één rol: Beheerder of Medewerker.
people-error-own-admin = U kunt uw eigen beheerdersrol of toegang niet intrekken; vraag dit aan een andere beheerder.
people-error-main-active = Het hoofdaccount blijft actief; de medewerkers van het portaal kunnen het deactiveren.
people-error-current-password = Uw wachtwoord klopt niet.
activity-contact-added = Contactpersoon toegevoegd
activity-contact-changed = Contactpersoon gewijzigd
activity-roles-changed = Rollen gewijzigd
activity-rights-changed = Rechten gewijzigd
activity-personal-changed = Persoonlijke gegevens gewijzigd
activity-organisation-changed = Organisatiegegevens gewijzigd
activity-password-set-by-admin = Wachtwoord ingesteld door de beheerder
activity-account-reset = Portaalaccount gereset
activity-view-as-started = Medewerker bekijkt het portaal als dit account
activity-view-as-ended = Medewerker is gestopt met bekijken als dit account
activity-login-failed = Mislukte inlogpoging
switch-label = Klant
switch-all = Alle klanten
switch-submit = Tonen
view-as-banner = { $staff }, u bekijkt het portaal als { $account }. Alleen lezen: er kan niets worden gewijzigd.
view-as-end = Terug naar de medewerkersomgeving
view-as-read-only-title = Alleen lezen
view-as-read-only = U bekijkt het portaal als klant: hier kan niets worden gewijzigd. Ga terug naar de medewerkersomgeving om iets te doen.
staff-title = Medewerkers
staff-customers = Klanten
staff-permissions = Rollen en rechten
staff-api-keys = API-sleutels
staff-settings = Instellingen
staff-login-title = Inloggen voor medewerkers
staff-login-failed = Het e-mailadres of wachtwoord klopt niet.
staff-login-2fa-note = Medewerkers loggen altijd in met een code uit een authenticator-app.
staff-code-title = Vul uw code in
staff-setup-required = Medewerkersaccounts hebben tweestapsverificatie nodig. Stel die nu in om verder te gaan.
staff-search-label = Klantnummer, naam of e-mailadres
staff-search = Zoeken
staff-no-results = Geen klanten gevonden.
staff-accounts = Portaalaccounts
staff-kind = Soort
staff-main = hoofdaccount
staff-extra = extra account
staff-new-account = Nieuw portaalaccount
staff-extra-account = Extra account (naast het hoofdaccount)
staff-welcome = E-mail
staff-welcome-invite = Uitnodiging met een link om een wachtwoord in te stellen
staff-welcome-created = Bericht dat het account is aangemaakt
staff-welcome-none = Geen e-mail
staff-details = Details
staff-password-set = Wachtwoord ingesteld
staff-created = Aangemaakt
staff-by = Door
staff-address = Adres
staff-view-as = Omschakelen naar klantsite
staff-invite = Uitnodiging opnieuw sturen
staff-reset = Account klantenportaal resetten
staff-two-factor = 2FA uitschakelen
staff-deactivate = Deactiveren
staff-activate = Activeren
staff-reset-help = Resetten verwijdert het wachtwoord en de tweestapsverificatie, beëindigt alle sessies en stuurt een nieuwe link om een wachtwoord in te stellen.
staff-done-created = Het account is aangemaakt.
staff-done-invited = De uitnodiging is verstuurd.
staff-done-reset = Het portaalaccount is gereset; er is een nieuwe link verstuurd.
staff-done-activated = Het account is actief.
staff-done-deactivated = Het account is gedeactiveerd.
staff-done-two-factor = Tweestapsverificatie staat uit; de gebruiker is op de hoogte gebracht.
staff-permissions-intro = Welke organisatierol standaard welk recht heeft, voor de modules van dit portaal.
staff-permission = Recht
staff-no-permissions = De ingeschakelde modules hebben geen rechten.
staff-key-shown-once = Kopieer de sleutel nu: hij wordt maar één keer getoond.
staff-scopes = Bereik
staff-scopes-help = Waar de sleutel bij mag:
staff-last-used = Laatst gebruikt
staff-revoked = ingetrokken
staff-revoke = Intrekken
staff-new-key = Nieuwe API-sleutel
actor-user = de gebruiker
actor-staff = medewerker
actor-api-key = administratie (API-sleutel)
actor-system = het portaal
activity-staff-login = Medewerker ingelogd
activity-staff-login-failed = Mislukte inlogpoging medewerker
activity-staff-totp-enabled = 2FA voor medewerker ingesteld
activity-api-key-created = API-sleutel aangemaakt
activity-api-key-revoked = API-sleutel ingetrokken
activity-settings-changed = Instellingen gewijzigd
activity-account-synced = Account bijgewerkt door de administratie
activity-branding-changed = Huisstijl gewijzigd
activity-messages-changed = Paginaberichten gewijzigd
activity-template-changed = E-mailsjabloon gewijzigd
activity-tenant-changed = Portaalgegevens gewijzigd
staff-activity-intro = Wat er met het portaal zelf gebeurde: inloggen van medewerkers, API-sleutels, instellingen, huisstijl, paginaberichten en e-mailsjablonen. De activiteit van een account staat op de pagina van dat account.
staff-branding = Huisstijl
staff-colours = Kleuren
staff-colours-intro = Laat een kleur leeg voor de standaard (of die van de hoofdorganisatie). Tekst en achtergrond moeten een contrast van 4,5:1 halen.
staff-colour-primary = Primaire kleur
staff-colour-primary-text = Tekst op de primaire kleur
staff-colour-secondary = Secundaire kleur
staff-colour-secondary-text = Tekst op de secundaire kleur
staff-messages = Berichten
staff-message-new = Nieuw bericht
staff-message-intro = Houd berichten kort: een lange tekst duwt de pagina naar beneden.
staff-message-page = Pagina
staff-message-page-help = * voor alle pagina's, of een pad zoals / of /invoices
staff-message-kind = Type
staff-message-text = Tekst (vet, cursief, lijsten en links blijven behouden)
staff-message-neutral = Neutraal
staff-message-warning = Waarschuwing
staff-message-important = Belangrijk
staff-message-kind-error = Kies neutraal, waarschuwing of belangrijk.
staff-delete = Verwijderen
staff-templates = E-mailsjablonen
staff-template-mail = E-mail
staff-template-key = Sleutel
staff-template-version = Taal en aanspreekvorm
staff-form-formal = formeel
staff-form-informal = informeel
staff-template-default = Dit is de standaardtekst. Met opslaan wordt het de eigen tekst van dit portaal.
staff-template-own = Dit portaal heeft een eigen tekst.
staff-template-subject = Onderwerp
staff-template-html = HTML
staff-template-text = Platte tekst
staff-template-reset = Terug naar de standaardtekst
staff-template-placeholders = Plaatshouders
staff-template-placeholders-intro = Schrijf een plaatshouder tussen accolades; schrijf {"{{"} voor een accolade zelf.
people-error-main-only = Alleen het hoofdaccount zelf kan het hoofdaccount wijzigen.
people-error-email-main-only = Het inlogadres van een beheerder of van een account met eigen rechten kan alleen het hoofdaccount wijzigen.
staff-settings-auth = Inloggen en accounts

# Uploaded files (files/upload.rs, files/sniff.rs)
files-refused-type = { $name }: dit soort bestand kan niet worden toegevoegd. Toegestaan zijn afbeeldingen (PNG, JPEG, GIF, WebP), PDF, Office- en OpenDocument-bestanden en platte tekst.
files-refused-markup = { $name }: webpagina's, SVG-afbeeldingen en andere opmaakbestanden kunnen niet worden toegevoegd. Maak een schermafdruk (PNG) of een PDF.
files-refused-name = { $name }: de naam van het bestand past niet bij de inhoud. Geef het bestand de juiste extensie.
files-refused-empty = { $name }: het bestand is leeg.
files-refused-too-large = { $name }: het bestand is groter dan { $limit } MB.
files-refused-total = De bestanden zijn samen groter dan { $limit } MB. Verstuur er minder tegelijk.
files-refused-count = U kunt hoogstens { $limit } bestanden tegelijk toevoegen.
files-refused-field = Een van de velden is te lang.
files-refused-fields = Het formulier heeft meer dan { $limit } velden; verstuur het vanaf de pagina zelf.
files-refused-nul = De naam van een bestand bevat een ongeldig teken.
files-refused-malformed = Het formulier kwam niet goed aan. Probeer het opnieuw.

## Staff workspace: navigation, roles, staff permissions
staff-nav-label = Menu voor medewerkers
staff-members = Medewerkersaccounts
staff-role-admin = beheerder
staff-role-support = support
staff-role-editor = redacteur
staff-perm-customers = Klanten, portaalaccounts, omschakelen naar klantsite en activiteit
staff-perm-messages = Berichten op pagina's
staff-perm-branding = Huisstijl: logo, favicon en kleuren
staff-perm-templates = E-mailsjablonen
staff-perm-settings = Instellingen van het portaal en API-sleutels
staff-perm-members = Medewerkers en hun rollen
staff-permissions-staff = Rechten van medewerkers
staff-permissions-staff-intro = Welke medewerkersrol welk recht heeft. Een beheerder heeft alle rechten.
staff-member-new = Medewerker toevoegen
staff-member-role = Rol
staff-member-state = Status
staff-member-active = actief
staff-member-inactive = gedeactiveerd
staff-member-totp = Tweestapsverificatie
staff-member-totp-on = ingesteld
staff-member-totp-off = nog niet ingesteld
staff-member-you = (u)
staff-member-save = Opslaan
staff-member-reset = Wachtwoord en 2FA resetten
staff-member-reset-confirm = Dit geeft de medewerker een nieuw wachtwoord en verwijdert de tweestapsverificatie. Doorgaan?
staff-member-deactivate-confirm = Deze medewerker kan dan niet meer inloggen. Doorgaan?
staff-member-password-once = Eerste wachtwoord voor { $who }. Geef het persoonlijk door: het wordt maar één keer getoond. Bij de eerste keer inloggen stelt de medewerker tweestapsverificatie in.
staff-member-intro = Beheerders mogen alles. Support helpt klanten: klanten, accounts, tickets, verzoeken en berichten. Redacteuren verzorgen de huisstijl, e-mailsjablonen en berichten.
staff-member-error-role = Kies een rol.
staff-member-error-email = Vul een geldig e-mailadres in.
staff-member-error-taken = Er is al een medewerker met dit e-mailadres.
staff-member-error-last-admin = Het portaal moet minstens één actieve beheerder houden.
staff-me = Mijn account
staff-me-password = Wachtwoord wijzigen
staff-me-password-help = Minstens { $min } tekens. Uw andere sessies worden beëindigd.
staff-me-password-done = Uw wachtwoord is gewijzigd.
staff-me-new-password = Nieuw wachtwoord
staff-me-repeat = Herhaal het nieuwe wachtwoord
staff-me-totp = Tweestapsverificatie opnieuw instellen
staff-me-totp-help = Bijvoorbeeld voor een nieuwe telefoon. U wordt uitgelogd en stelt bij de volgende keer inloggen een nieuwe code in.
staff-me-totp-button = Opnieuw instellen en uitloggen
staff-requests = Verzoeken
staff-perm-requests = Verzoeken van klanten (abonnementen, verhuizingen, voorschotten)
staff-requests-open = Open
staff-requests-all = Alle
staff-requests-date = Datum
staff-requests-kind = Soort
staff-requests-subject = Onderwerp
staff-requests-customer = Klant
staff-requests-no-customer = Nog geen klant
staff-requests-status = Status
staff-requests-none = Er zijn geen verzoeken.
staff-change-account = Account wijzigen
staff-new-email = Inlog-e-mailadres
staff-new-email-help = Op verzoek van de klant. Het oude en het nieuwe adres krijgen een bevestiging; links naar het oude adres werken niet meer.
staff-change-email = E-mailadres wijzigen
staff-error-email = Vul een geldig e-mailadres in.
staff-error-email-taken = Dit e-mailadres hoort al bij een ander portaalaccount.
staff-set-password = Wachtwoord instellen
staff-set-password-help = Dit portaal staat toe dat medewerkers een wachtwoord instellen. Het wachtwoordbeleid geldt; de sessies van het account eindigen.
staff-delete-account = Account verwijderen
staff-delete-help = Verwijdert alleen dit portaalaccount; de klant en zijn gegevens blijven.
staff-delete-confirm = Het account { $email } wordt verwijderd. Doorgaan?
staff-confirm-reset = Wachtwoord, tweestapsverificatie en sessies van dit account worden gewist. Doorgaan?
staff-confirm-deactivate = Dit account kan dan niet meer inloggen. Doorgaan?
staff-done-email = Het e-mailadres is gewijzigd; beide adressen hebben een bevestiging gekregen.
staff-done-password = Het wachtwoord is ingesteld.
staff-done-deleted = Het account is verwijderd.
staff-inherit-title = Huisstijl van de hoofdorganisatie
staff-inherit-on = Dit portaal neemt de huisstijl van de hoofdorganisatie over, behalve wat hieronder zelf is ingesteld.
staff-inherit-off = Dit portaal gebruikt alleen zijn eigen huisstijl.
staff-inherit-start = Huisstijl van de hoofdorganisatie overnemen
staff-inherit-stop = Alleen de eigen huisstijl gebruiken
staff-images = Logo en favicon
staff-images-intro = PNG, JPEG, SVG (zonder scripts) of ICO, hoogstens { $kb } kB. Het portaal toont een nieuw beeld meteen.
staff-image-logo = Logo
staff-image-favicon = Favicon
staff-image-none = Nog niet ingesteld: het portaal toont de naam.
staff-image-current = Huidig { $what }
staff-image-choose = Bestand kiezen
staff-image-upload = Uploaden
staff-image-remove = { $what } verwijderen
staff-image-remove-confirm = Het beeld wordt verwijderd. Doorgaan?
staff-image-error-none = Kies eerst een bestand.
staff-image-error-size = Het bestand is groter dan { $kb } kB.
staff-image-error-type = Dit bestand is geen PNG-, JPEG-, ICO- of SVG-afbeelding (of de SVG bevat scripts of externe verwijzingen).
staff-image-error-read = Het bestand kon niet gelezen worden. Probeer het opnieuw.
staff-colour-error-format = Vul een kleur in als #rrggbb, bijvoorbeeld #0b6e4f.
staff-colour-error-contrast = Tekst en achtergrond halen samen een contrast van { $ratio }:1; minimaal 4,5:1 is nodig. Kies een donkerdere of lichtere kleur.
staff-colours-check = Controleren
staff-contrast-caption = Contrast zoals het portaal het zal tonen
staff-contrast-pair = Kleurpaar
staff-contrast-example = Voorbeeld
staff-contrast-ratio = Contrast
staff-contrast-verdict = Oordeel
staff-contrast-pass = voldoet
staff-contrast-fail = te weinig contrast
staff-template-back = Terug naar de e-mailsjablonen
staff-template-preview = Voorbeeld bekijken
staff-template-preview-title = Voorbeeld
staff-template-preview-intro = Zo ziet de e-mail eruit met voorbeeldgegevens, zoals hij nu in het formulier staat (nog niet opgeslagen).
staff-template-test = Testmail sturen naar { $to }
staff-template-test-sent = De testmail (de opgeslagen versie) is onderweg naar { $to }.
staff-template-test-limit = Er zijn dit uur al te veel testmails verstuurd. Probeer het later opnieuw.
staff-template-reset-confirm = De eigen tekst wordt verwijderd en de standaardtekst gebruikt. Doorgaan?
staff-settings-portal = Portaal en contactgegevens
staff-portal-url = Adres van het portaal
staff-portal-url-help = Bijvoorbeeld https://mijn.uwbedrijf.nl. Het adres wordt meteen gecontroleerd; links in e-mails gebruiken het.
staff-portal-url-save = Controleren en opslaan
staff-contact-support-email = E-mailadres van support
staff-contact-support-email-help = Klanten zien het in het portaal; nieuwe tickets en reacties van klanten worden hierheen gemaild.
staff-contact-phone = Telefoonnummer
staff-contact-website = Website
staff-contact-error-support-email = Vul een geldig e-mailadres in, of laat het veld leeg.
staff-contact-error-phone = Vul een geldig telefoonnummer in, of laat het veld leeg.
staff-contact-error-website = Vul een volledig webadres in (https://...), of laat het veld leeg.
url-error-empty = Vul het adres van het portaal in, bijvoorbeeld https://mijn.uwbedrijf.nl.
url-error-not-absolute = { $url } is geen volledig adres: het moet beginnen met https://.
url-error-invalid = { $url } is geen geldig webadres.
url-error-ip = Gebruik een domeinnaam, geen IP-adres.
url-error-no-domain = Het adres heeft geen domeinnaam.
url-error-https = Het portaal moet https:// gebruiken (http:// alleen voor localhost).
url-error-credentials = Het adres mag geen gebruikersnaam of wachtwoord bevatten.
url-error-query = Het adres mag geen zoekdeel (?...) bevatten.
url-error-fragment = Het adres mag geen deel na # bevatten.
url-error-path = Het adres mag geen pad bevatten: geef het portaal een eigen (sub)domein, of gebruik het gedeelde adres met de bedrijfscode.
url-error-domain = { $url } heeft geen geldige domeinnaam (bijvoorbeeld mijn.uwbedrijf.nl).
url-error-reserved = { $url } gebruikt het portaal al voor alle klanten; kies een eigen domein.
url-error-taken = { $url } is al het adres van een ander portaal.
staff-message-all-pages = Alle pagina's
staff-message-home = Startpagina
staff-message-when = Wanneer
staff-message-actions = Acties
staff-message-from = vanaf { $at }
staff-message-until = tot { $at }
staff-message-always = altijd
staff-message-none = Er zijn geen berichten.
staff-message-long = Lang bericht: het duwt de pagina naar beneden.
staff-message-delete-confirm = Het bericht wordt verwijderd. Doorgaan?
staff-message-text-nl = Tekst in het Nederlands
staff-message-text-en = Tekst in het Engels
staff-message-text-help = Vet, cursief, onderstreept, doorgehaald, lijsten, een kleur en links blijven behouden; de rest wordt verwijderd.
staff-message-text-en-help = Leeg: Engelstalige lezers zien de Nederlandse tekst.
staff-message-starts = Tonen vanaf (leeg: meteen)
staff-message-ends = Tonen tot (leeg: tot u het verwijdert)
staff-message-error-time = Vul een geldige datum en tijd in.
staff-message-error-page = Kies een pagina.
staff-message-error-html = Schrijf een tekst (in minstens één taal).
staff-message-error-html-en = De Engelse tekst is te lang.
staff-message-error-ends-at = Het einde moet na het begin liggen.
richtext-toolbar = Opmaak
richtext-bold = Vet
richtext-italic = Cursief
richtext-underline = Onderstrepen
richtext-strike = Doorhalen
richtext-list = Opsomming
richtext-numbered = Genummerde lijst
richtext-link = Link
richtext-link-prompt = Adres van de link
richtext-colour = Rode tekst
setting-auth-staff-session-idle = Medewerkers uitloggen na zoveel minuten zonder activiteit
setting-auth-staff-session-absolute = Medewerkers uitloggen na (uren)
staff-access = Rollen en rechten
staff-access-change = wijzigen
staff-access-main = Dit is het hoofdaccount: het ziet alle locaties van de klant en zijn onderliggende klanten.
staff-done-access = De rollen en rechten zijn opgeslagen.
staff-parent = Hoofdaccount (domein contractant)
staff-parent-now = Onderdeel van
staff-parent-none = Deze klant valt niet onder een andere klant.
staff-parent-number = Klantnummer van de hoofdklant
staff-parent-help = Leeg: de klant valt niet (meer) onder een andere klant. De hoofdklant ziet dan de gegevens van deze klant.
staff-parent-error-unknown = Er is geen klant met dit klantnummer.
staff-parent-error-self = Een klant kan niet onder zichzelf vallen.
staff-parent-error-cycle = Deze klant is zelf de hoofdklant van die klant.
staff-done-parent = De hoofdklant is opgeslagen.
staff-activity-none = Nog geen activiteit.
activity-staff-member-added = Medewerker toegevoegd
activity-staff-member-changed = Medewerker gewijzigd
activity-staff-member-reset = Wachtwoord en 2FA van medewerker gereset
activity-staff-password-changed = Eigen wachtwoord gewijzigd
activity-staff-two-factor-reset = Eigen tweestapsverificatie opnieuw ingesteld
activity-settings-portal-url = Adres van het portaal gewijzigd
activity-settings-contact = Contactgegevens gewijzigd
activity-template-test-sent = Testmail verstuurd
activity-customer-parent-changed = Hoofdklant gewijzigd
staff-change-username = Gebruikersnaam wijzigen
staff-username-help = Op verzoek van de klant. Leeg verwijdert de gebruikersnaam (niet waar klanten met hun gebruikersnaam inloggen).
staff-error-username = Een gebruikersnaam heeft hoogstens 100 tekens.
staff-error-username-taken = Deze gebruikersnaam is al in gebruik.
staff-error-username-needed = Klanten loggen in dit portaal in met hun gebruikersnaam: vul er een in.
staff-done-username = De gebruikersnaam is gewijzigd.
activity-username-changed = Gebruikersnaam gewijzigd
staff-setting-error-bool = Kies aan of uit.
staff-setting-error-number = Vul een heel getal in van { $min } tot en met { $max }.
staff-setting-error-text = Hoogstens { $max } tekens.
staff-setting-error-choice = Kies een van: { $choices }.
staff-revoke-confirm = De sleutel werkt daarna niet meer. Doorgaan?
login-error-empty-customer-number = Vul uw klantnummer in.
login-error-empty-email = Vul uw e-mailadres in.
login-error-empty-username = Vul uw gebruikersnaam of e-mailadres in.
login-error-empty-password = Vul uw wachtwoord in.

# Edit policies and portal changes waiting for the back-office (issue 17)
staff-settings-layout = Portaal: wijzigen, startpagina en menu
setting-portal-edit-login-email = Wie mag een inlog-e-mailadres wijzigen
setting-portal-edit-personal = Wie mag naam en telefoonnummer van een persoon wijzigen
setting-portal-edit-organisation = Wie mag de gegevens van de organisatie wijzigen
setting-portal-edit-correspondence = Wie mag het correspondentieadres wijzigen
setting-portal-home = Startpagina: overview (overzicht), organisation (gegevens) of het pad van een modulepagina, bijv. /invoices
setting-portal-nav = Hoofdmenu, gescheiden door ";": bijv. "organisation; invoices+subscriptions = Facturen/Abonnement | Invoices/Subscription; tickets = Support". Leeg: het standaardmenu.
setting-choice-nobody = Niemand (wijzigingen via support)
setting-choice-own = Het account zelf (organisatie: iedere gebruiker)
setting-choice-admins = Beheerders
setting-choice-own_and_admins = Het account zelf en beheerders
change-pending = Wacht op verwerking
change-pending-text = Deze wijziging is doorgegeven aan onze administratie. Zodra die is verwerkt, verdwijnt deze melding.
change-group-organisation = gegevens van de organisatie
change-group-correspondence = correspondentieadres
change-group-personal = naam en telefoonnummer
change-group-login_email = inlog-e-mailadres
people-change-by-support = Wilt u deze gegevens wijzigen? Geef de wijziging door aan onze supportafdeling.
people-personal-details = Uw gegevens
people-personal-edit = Persoonlijke gegevens aanpassen
people-contact-details = Gegevens van de contactpersoon
people-no-portal-access = Geen toegang tot het klantportaal
people-back-to-contacts = Terug naar contactpersonen
nav-organisation = Mijn organisatie
home-card-organisation = Mijn gegevens
home-card-organisation-text = De gegevens van uw organisatie, uw persoonlijke gegevens en de contactpersonen.
people-no-portal-access-choice = Zonder toegang tot het klantportaal
people-no-portal-access-help = Alleen als contactpersoon vastleggen: zonder inlog-e-mailadres en zonder uitnodiging. Toegang geven kan later door een inlog-e-mailadres in te vullen.
breadcrumb-label = Kruimelpad
setting-portal-login-email-follows = Het inlog-e-mailadres van het hoofdaccount is het e-mailadres van de klant in de administratie (wijzigt mee)
staff-login-button = Inlogknop voor uw website
staff-login-button-help = Zet deze HTML op de website van uw bedrijf: de knop opent de inlogpagina van het klantportaal, in uw huisstijl.
staff-login-button-preview = Zo ziet de knop eruit:
staff-login-button-label = Inloggen klantportaal
