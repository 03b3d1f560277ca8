# Informal (je/jij) forms of the messages in nl.ftl that address the reader;
# a message missing here falls back to nl.ftl. A test fails when a message
# that addresses the reader formally has no informal form here.
# Staff screens (keys starting with staff-) stay formal and are not repeated.

home-intro = Hier regel je je zaken met ons. Bekijk je gegevens, stel een vraag of geef een wijziging door, wanneer het jou uitkomt.
error-correlation = Neem je contact met ons op? Noem dan deze code:
error-400-message = Er ging iets mis bij het versturen. Ga terug naar de vorige pagina, controleer wat je hebt ingevuld en probeer het opnieuw.
error-403-message = Je hebt geen toegang tot deze pagina. Misschien ben je uitgelogd of gebruik je een ander account. Log opnieuw in en probeer het nog een keer.
error-413-message = Wat je probeert te versturen is te groot. Kies een kleiner bestand of verstuur minder bestanden tegelijk en probeer het opnieuw.
error-500-message = Er ging aan onze kant iets mis. Dat ligt niet aan jou. Probeer het over een paar minuten opnieuw. Lukt het dan nog steeds niet? Neem contact met ons op en noem de code hieronder.
csrf-failed-message = Je formulier is verlopen of is niet via deze pagina verstuurd. Dat gebeurt bijvoorbeeld als een pagina lang open heeft gestaan. Ga terug, laad de pagina opnieuw en probeer het nog een keer.
mailbox-intro = Dit portaal verstuurt geen e-mail: berichten blijven hier staan, zodat je links in uitnodigingen en herstelmails kunt volgen.
login-bye = Je bent uitgelogd.
login-password-set = Je wachtwoord is ingesteld. Je kunt nu inloggen.
login-failed-customer_number_email = Deze combinatie van klantnummer, e-mailadres en wachtwoord kennen we niet. Controleer wat je hebt ingevuld en probeer het opnieuw.
login-failed-username = Deze combinatie van gebruikersnaam en wachtwoord kennen we niet. Controleer wat je hebt ingevuld en probeer het opnieuw.
login-failed-email = Deze combinatie van e-mailadres en wachtwoord kennen we niet. Controleer wat je hebt ingevuld en probeer het opnieuw.
login-reset-your-password = Reset je wachtwoord
login-unconfirmed = Je hebt je e-mailadres nog niet bevestigd. Klik op de link in de bevestigingsmail die we je hebben gestuurd. Geen mail ontvangen? Kijk ook in je map met ongewenste e-mail, of vraag een nieuwe aan.
login-register = Nog geen account? Registreer je
login-totp-wrong = Deze code klopt niet of is al gebruikt. Wacht op de volgende code in je app en probeer het opnieuw.
field-totp-code = Code uit je authenticator-app
totp-heading = Voer je code in
totp-intro = Open de authenticator-app op je telefoon en vul de code van zes cijfers in.
forgot-intro = Vul je gegevens in. Als we een account vinden, sturen we je een e-mail met een link om een nieuw wachtwoord in te stellen.
forgot-sent = Als de gegevens bij een account horen, hebben we een e-mail met een link gestuurd. Kijk ook in je map met ongewenste e-mail.
reset-intro = Kies een nieuw wachtwoord voor je account.
reset-identity-intro = Vul ter controle je klantnummer en e-mailadres nog een keer in.
reset-identity-mismatch = Dit klantnummer en e-mailadres horen niet bij deze link. Controleer wat je hebt ingevuld.
invite-heading = Welkom! Stel je wachtwoord in
invite-intro = Kies een wachtwoord. Daarmee log je voortaan in op het portaal.
link-spent-text = De link is verlopen of al gebruikt. Vraag een nieuwe link aan; die sturen we je per e-mail.
confirm-spent-text = De bevestigingslink is verlopen of al gebruikt. Log in met je e-mailadres en wachtwoord; daarna kun je een nieuwe bevestigingsmail aanvragen.
confirm-intro = Klik op de knop om je e-mailadres te bevestigen. Daarna kun je inloggen.
confirm-done-text = Bedankt! Je e-mailadres is bevestigd. Je kunt nu inloggen.
register-intro = Vul je klantnummer in (je vindt het op je factuur) en kies het e-mailadres waarmee je wilt inloggen. We sturen je een e-mail om het adres te bevestigen.
register-sent-heading = Kijk in je mailbox
register-sent-text = Als je klantnummer bij ons bekend is en er nog geen account voor is, hebben we een e-mail gestuurd. Klik op de link in die e-mail om je account te bevestigen.
register-bad-number = Vul je klantnummer in.
pw-context = Het wachtwoord mag je naam, e-mailadres, klantnummer of de naam van de organisatie niet bevatten.
settings-account = Jouw account
settings-totp-on = Tweestapsverificatie staat aan. Bij het inloggen vragen we een code uit je app.
settings-totp-off = Tweestapsverificatie staat uit. Zet haar aan voor extra bescherming: bij het inloggen vragen we dan ook een code uit een app op je telefoon.
settings-sessions-intro = Ingelogd op een computer die niet van jou is, of je telefoon kwijt? Log dan overal uit, ook hier.
settings-done-password = Je wachtwoord is gewijzigd. Op andere apparaten ben je uitgelogd.
settings-done-language = Je taal is opgeslagen.
totp-setup-step-app = Installeer een authenticator-app op je telefoon, bijvoorbeeld Google Authenticator, Microsoft Authenticator of FreeOTP.
people-login-email-help = Met dit adres log je in. Een wijziging wordt bevestigd op het oude en het nieuwe adres.
people-confirm-password = Jouw wachtwoord van het klantportaal
people-confirm-password-help = Bevestig de wijziging met je eigen wachtwoord.
people-rights-no-locations = Je organisatie heeft nog geen locaties.
people-personal-intro = Bekijk en wijzig hier zelf je persoonlijke gegevens.
people-done-saved = Je wijzigingen zijn opgeslagen.
people-error-own-admin = Je kunt je eigen beheerdersrol of toegang niet intrekken; vraag dit aan een andere beheerder.
people-error-current-password = Je wachtwoord klopt niet.
files-refused-count = Je kunt hoogstens { $limit } bestanden tegelijk toevoegen.
login-error-empty-customer-number = Vul je klantnummer in.
login-error-empty-email = Vul je e-mailadres in.
login-error-empty-username = Vul je gebruikersnaam of e-mailadres in.
login-error-empty-password = Vul je wachtwoord in.

people-change-by-support = Wil je deze gegevens wijzigen? Geef de wijziging door aan onze supportafdeling.
people-personal-details = Jouw gegevens
home-card-organisation-text = De gegevens van je organisatie, je persoonlijke gegevens en de contactpersonen.
start-login = Log in op je klantportaal
start-heading = Hoe kunnen we helpen?
