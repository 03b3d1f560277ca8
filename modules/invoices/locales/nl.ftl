invoices-nav = Facturen
invoices-permission-view = Facturen inzien
invoices-title = Facturen
invoices-number = Factuurnummer
invoices-date = Factuurdatum
invoices-due = Vervaldatum
invoices-amount = Bedrag
invoices-status = Status
invoices-contract = Contract
invoices-status-open = Openstaand
invoices-status-paid = Betaald
invoices-status-refund_pending = In afwachting van bevestiging van betalingsverwerking
invoices-filter-all = Alle facturen
invoices-filter-open = Openstaand
invoices-filter-paid = Betaald
invoices-none = Er zijn (nog) geen facturen.
invoices-more = Oudere facturen
invoices-pdf = PDF
invoices-pdf-label = Factuur { $number } als PDF
invoices-refund = Wij zullen dit bedrag terugbetalen op uw bankrekening op { $date }
invoices-lines = Specificatie
invoices-description = Omschrijving
invoices-quantity = Aantal
invoices-unit = Prijs
invoices-vat = Btw
invoices-total = Totaal
invoices-back = Terug naar facturen
invoices-card-title = Openstaande facturen
invoices-card-none = U heeft geen openstaande facturen.
invoices-card-due = { $count ->
    [one] 1 openstaande factuur, { $amount } te betalen
   *[other] { $count } openstaande facturen, { $amount } te betalen
}
invoices-setting-per-contract = Facturen per contract tonen
invoices-all-contracts = Alle contracten
invoices-show = Tonen
invoices-pdf-view = Factuur { $number } bekijken (PDF)
invoices-pdf-download = Factuur { $number } downloaden (PDF)
