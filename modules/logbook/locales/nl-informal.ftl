# Informal (je/jij) forms of the messages in nl.ftl that address the reader;
# a message missing here falls back to nl.ftl. A test fails when a message
# that addresses the reader formally has no informal form here.

logbook-choose-lead = Kies de locatie waarvan je het logboek wilt zien. We onthouden je keuze.
logbook-no-locations = Er zijn geen locaties met een logboek voor jouw account. Denk je dat dit niet klopt? Neem dan contact met ons op.
logbook-unread = { $count ->
    [one] Je hebt 1 nieuw bericht.
   *[other] Je hebt { $count } nieuwe berichten.
}
logbook-saved = Je wijziging is opgeslagen.
logbook-error-markup = De tekens < en > zijn niet toegestaan. Je tekst is bewaard, zodat je hem kunt aanpassen.
logbook-message-sent = Je bericht is verstuurd.
logbook-message-help = Schrijf je bericht als gewone tekst: de tekens < en > zijn niet toegestaan.
logbook-you-colleague = Jij of een collega
logbook-card-text = Aanbevelingen van de technicus die nieuw of in behandeling zijn, op al je locaties.
