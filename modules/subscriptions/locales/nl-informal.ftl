# Informal (je/jij) forms of the messages in nl.ftl that address the reader;
# a message missing here falls back to nl.ftl. A test fails when a message
# that addresses the reader formally has no informal form here.

subscriptions-change-intro = Geef aan wat je wilt wijzigen. Wij nemen je verzoek zo snel mogelijk in behandeling.
subscriptions-change-by-mail = Wijzigingen in je abonnement of gegevens geef je per e-mail door aan onze supportafdeling:
subscriptions-request-sent = Je verzoek is verstuurd. Je ontvangt een bevestiging per e-mail.
