# Informal (je/jij) forms of the messages in nl.ftl that address the reader;
# a message missing here falls back to nl.ftl. A test fails when a message
# that addresses the reader formally has no informal form here.

invoices-refund = Wij zullen dit bedrag terugbetalen op je bankrekening op { $date }
invoices-card-none = Je hebt geen openstaande facturen.
