invoices-nav = Invoices
invoices-permission-view = View invoices
invoices-title = Invoices
invoices-number = Invoice number
invoices-date = Invoice date
invoices-due = Due date
invoices-amount = Amount
invoices-status = Status
invoices-contract = Contract
invoices-status-open = Open
invoices-status-paid = Paid
invoices-status-refund_pending = Awaiting payment processing
invoices-filter-all = All invoices
invoices-filter-open = Open
invoices-filter-paid = Paid
invoices-none = There are no invoices (yet).
invoices-more = Older invoices
invoices-pdf = PDF
invoices-pdf-label = Invoice { $number } as PDF
invoices-refund = We will refund this amount to your bank account on { $date }
invoices-lines = Specification
invoices-description = Description
invoices-quantity = Quantity
invoices-unit = Price
invoices-vat = VAT
invoices-total = Total
invoices-back = Back to invoices
invoices-card-title = Open invoices
invoices-card-none = You have no open invoices.
invoices-card-due = { $count ->
    [one] 1 open invoice, { $amount } to pay
   *[other] { $count } open invoices, { $amount } to pay
}
invoices-setting-per-contract = Show invoices per contract
invoices-all-contracts = All contracts
invoices-show = Show
invoices-pdf-view = View invoice { $number } (PDF)
invoices-pdf-download = Download invoice { $number } (PDF)
