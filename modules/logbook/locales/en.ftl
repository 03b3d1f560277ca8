logbook-nav = Logbook
logbook-permission-view = View the logbook (per location)

## Choosing a location
logbook-choose-title = Choose a location
logbook-choose-lead = Choose the location whose logbook you want to see. We remember your choice.
logbook-chosen = Last chosen
logbook-no-locations = There are no locations with a logbook for your account. Do you think this is wrong? Please contact us.

## The heading and tabs of a location
logbook-read-only = Read-only
logbook-other-location = Choose another location
logbook-parts = Parts of the logbook
logbook-tab-dashboard = Overview
logbook-tab-checkpoints = Checkpoints
logbook-tab-visits = Visits
logbook-tab-recommendations = Recommendations
logbook-tab-messages = Messages
logbook-tab-documents = Documents

## Words shared by several pages
logbook-location = Location
logbook-address = Address
logbook-customer = Customer
logbook-all = All
logbook-filter = Filter
logbook-from = From
logbook-to = To
logbook-when = When
logbook-none = None

## Overview (dashboard)
logbook-unread = { $count ->
    [one] You have 1 new message.
   *[other] You have { $count } new messages.
}
logbook-recommendations-by-status = Recommendations by status
logbook-visits-year = Visits in the last 12 months
logbook-latest-visit = Latest visit report: { $date }
logbook-next-visit = Next planned visit
logbook-next-none = No visit has been planned yet.
logbook-chart-title = Activity per checkpoint type per month
logbook-chart-table = Activity per checkpoint type per month, as a table
logbook-chart-description = Bars per month for each checkpoint type: the number of observations with activity. The table beside the chart has the same numbers.
logbook-chart-caption = The table beside this chart shows the same numbers.
logbook-activity-none = No activity was observed at the checkpoints in the last 12 months.
logbook-month = Month

## Checkpoints
logbook-checkpoint = Checkpoint
logbook-checkpoint-kind = Type
logbook-room = Room
logbook-measure = Measurement
logbook-measure-percent = Percentage of bait taken
logbook-measure-count = Number caught
logbook-state = Status
logbook-active = Active
logbook-removed = Removed
logbook-show-removed = Show removed checkpoints too
logbook-hide-removed = Hide removed checkpoints
logbook-checkpoints-none = This location has no checkpoints.

## Visits and visit reports
logbook-date = Date
logbook-kind = Type of visit
logbook-kind-routine = Routine visit
logbook-kind-extra = Extra visit
logbook-kind-follow_up = Follow-up inspection
logbook-technician = Technician
logbook-findings = Findings
logbook-report = Report
logbook-visits-none = No visits found.
logbook-error-date = Enter a date, for example 31-12-2025.
logbook-visit-title = Visit report of { $date }
logbook-pdf-view = View the visit report of { $date } (PDF)
logbook-pdf-open = Open as PDF
logbook-pdf-download = Download PDF
logbook-remarks = Technician's remarks
logbook-observations = Checkpoint observations
logbook-value = Value
logbook-activity = Activity
logbook-note = Note
logbook-observations-none = No observations were recorded during this visit.
logbook-materials = Products and materials used
logbook-material = Product or material
logbook-amount = Amount
logbook-unit = Unit
logbook-registration = Registration number

## The visit report as PDF
logbook-pdf-file = visit-report
logbook-pdf-title = Visit report
logbook-pdf-customer = Customer
logbook-pdf-location = Location
logbook-pdf-date = Date
logbook-pdf-technician = Technician
logbook-pdf-kind = Type of visit
logbook-pdf-findings = Findings
logbook-pdf-remarks = Technician's remarks
logbook-pdf-observations = Checkpoint observations
logbook-pdf-checkpoint = Checkpoint
logbook-pdf-checkpoint-kind = Type
logbook-pdf-room = Room
logbook-pdf-value = Value
logbook-pdf-note = Note
logbook-pdf-materials = Products and materials used
logbook-pdf-material = Product or material
logbook-pdf-amount = Amount
logbook-pdf-unit = Unit
logbook-pdf-registration = Registration number
logbook-pdf-none = None
logbook-pdf-page = Page

## Recommendations
logbook-recommendation = Recommendation
logbook-status = Status
logbook-status-new = New
logbook-status-in_progress = In progress
logbook-status-done = Done
logbook-status-verified = Verified by the technician
logbook-category = Category
logbook-category-hygiene = Hygiene
logbook-category-construction = Structural
logbook-category-storage = Storage
logbook-category-other = Other
logbook-created = Created
logbook-updated = Last changed
logbook-response = Response
logbook-whole-location = Whole location
logbook-export = Export (CSV)
logbook-recommendations-none = No recommendations found.
logbook-back-recommendations = Back to the recommendations
logbook-saved = Your changes have been saved.
logbook-respond = Change the status or respond
logbook-save = Save
logbook-verified-note = The technician has verified this recommendation, so it can no longer be changed.
logbook-history = History
logbook-change = Change
logbook-by = By
logbook-change-created = Created
logbook-change-status = Status changed
logbook-change-response = Response added
logbook-change-text = Text changed
logbook-actor-customer = Customer
logbook-actor-staff = Customer service
logbook-actor-back_office = Back office
logbook-csv-file = recommendations
logbook-csv-id = Number
logbook-error-markup = The characters < and > are not allowed. Your text has been kept, so you can change it.
logbook-error-required = Fill in this field.
logbook-error-too-long = This text is too long: { $max } characters at most.
logbook-error-too-long-plain = This text is too long.
logbook-error-status = Choose one of the statuses in the list.
logbook-error-nothing = Change the status or write a response.

## Messages
logbook-message-sent = Your message has been sent.
logbook-message-new = Write a new message
logbook-message-help = Write your message as plain text: the characters < and > are not allowed.
logbook-subject = Subject
logbook-message-body = Message
logbook-message-send = Send message
logbook-you-colleague = You or a colleague
logbook-new = New
logbook-messages-none = There are no messages yet.
logbook-message-message = Message
logbook-message-notification = Notification
logbook-message-alarm = Alarm
logbook-message-status-open = Open
logbook-message-status-handled = Handled

## Documents
logbook-document = Document
logbook-for = Applies to
logbook-valid-until = Valid until
logbook-added = Added
logbook-whole-customer = All locations
logbook-expired = Expired
logbook-documents-none = There are no documents for this location.
logbook-document-safety_sheet = Safety data sheet
logbook-document-certificate = Certificate
logbook-document-contract = Contract
logbook-document-other = Other

## Home page
logbook-card-title = Open recommendations
logbook-card-text = The technician's recommendations that are new or in progress, at all your locations.
logbook-home-title = Logbook per location
logbook-home-none = There are no locations with a logbook.
logbook-home-more = All locations

## Staff pages (the pest-control company's side)
logbook-staff-permission = Handle logbook messages and responses
logbook-staff-nav = Logbook
logbook-staff-title = Logbook: messages and responses
logbook-staff-messages = Open messages from customers
logbook-staff-messages-none = There are no open messages.
logbook-staff-responses = Responses to recommendations not yet seen
logbook-staff-responses-none = There are no new responses.
logbook-staff-back = Back to the logbook messages and responses
logbook-staff-reply = Reply to the customer (this marks the message as handled)
logbook-staff-send-reply = Send reply
logbook-staff-mark-handled = Mark as handled without replying
logbook-staff-seen = Save and mark the response as seen
logbook-request-message = Logbook message
logbook-request-response = Response to a recommendation
