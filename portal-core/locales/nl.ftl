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
