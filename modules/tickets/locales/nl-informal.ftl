# Informal (je/jij) forms of the messages in nl.ftl that address the reader;
# a message missing here falls back to nl.ftl. A test fails when a message
# that addresses the reader formally has no informal form here.

tickets-kind-question-help = Stel hier je algemene vraag.
tickets-kind-improvement-help = Heb je verbeteringen voor ons product?
tickets-kind-bug-help = Krijg je een storing of krijg je een foutmelding?
tickets-list-waiting = Wacht op jouw reactie
tickets-category-help = Kies de hoofdcategorie van je vraag. Staat de categorie er niet bij? Kies dan de categorie die er het dichtst bij in de buurt komt. Vragen over declaraties, facturen en boekhouding vallen onder "Financieel"; vragen over e-mail instellen en koppelingen onder "Externe koppeling"; vragen over sjablonen, updates en exporteren onder "Techniek".
tickets-privacy = Stuur alsjeblieft geen privacygevoelige en/of bedrijfskritische informatie in je ticket. Scherm privacygevoelige gegevens af in schermafdrukken en andere bijlagen. Neem bij twijfel telefonisch contact met ons op, en start bij telefonisch contact alvast de "hulp op afstand".
tickets-created = Je ticket is ingestuurd met nummer { $number }.
tickets-you = Jij
tickets-reply = Jouw reactie
tickets-closed-note = Dit ticket is gesloten. Heb je nog een vraag? Maak dan een nieuw ticket.
tickets-status-waiting = Wacht op jouw reactie
tickets-card-title = Wacht op jouw reactie
tickets-card-none = Er wacht niets op jouw reactie.
tickets-card-history-text = Alle meldingen die je ons via het klantportaal stuurde.
tickets-desk-done-replied = Je reactie is verstuurd.
tickets-event-assigned = Aan jou toegewezen
