# Informal (je/jij) forms of the messages in nl.ftl that address the reader;
# a message missing here falls back to nl.ftl. A test fails when a message
# that addresses the reader formally has no informal form here.

consumption-lead = Je verbruik per dienst in { $year } tot nu toe, vergeleken met dezelfde periode in { $last }.
consumption-none = Voor jouw locaties zijn nog geen meters bekend.
consumption-card-title = Jouw verbruik
consumption-card-text = Je verbruik van dit jaar per dienst, vergeleken met vorig jaar.
consumption-locations-help = Kies een of meer locaties. Kies je er geen, dan tellen al je locaties mee.
consumption-source-customer = Door jou doorgegeven
consumption-reading-saved = Je meterstand is opgeslagen.
