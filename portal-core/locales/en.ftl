# English texts of the customer portal.
# Write for customers, not for technical staff: keep sentences short and
# tell the reader what they can do next.
# Keep the same keys as nl.ftl.

## General

portal-title = Customer portal
skip-link = Skip to main content

## Navigation and header

nav-label = Main menu
nav-home = Home
header-customer-number = Customer number
header-settings = Settings
header-logout = Log out
header-menu = Menu
lang-switch-label = Choose language
lang-nl = Nederlands
lang-en = English

## Footer

footer-contact = Contact
footer-support-email = Support email
footer-website = Website
footer-phone = Support line

## Messages (neutral, warning, important)

message-kind-neutral = Notice
message-kind-warning = Warning
message-kind-important = Important

## Forms

form-error-summary = Please check the following
form-required = required

## Home page

home-title = Home
home-heading = How can we help?
home-intro = This is where you arrange your affairs with us. View your details, ask a question or let us know about a change, whenever it suits you.

## Error pages

error-correlation = Contacting us? Please mention this code:
error-back-home = Back to the home page

error-400-title = We could not process this request
error-400-message = Something went wrong while sending. Go back to the previous page, check what you entered and try again.

error-403-title = No access
error-403-message = You do not have access to this page. You may have been logged out or be using a different account. Please log in again and try once more.

error-404-title = Page not found
error-404-message = This page does not exist (any more). Check that the address is spelled correctly, or go back to the previous page.

error-405-title = This is not possible here
error-405-message = This action is not possible on this page. Go back to the previous page and try again.

error-413-title = Too large to send
error-413-message = What you are trying to send is too large. Choose a smaller file or send fewer files at once and try again.

error-500-title = Something went wrong
error-500-message = Something went wrong on our side. It is not your fault. Please try again in a few minutes. Still not working? Contact us and quote the code below.

error-503-title = Temporarily unavailable
error-503-message = The customer portal is briefly unavailable, for example because of maintenance. Please try again in a few minutes.

csrf-failed-title = This form has expired
csrf-failed-message = Your form has expired or was not sent from this page. This can happen when a page has been open for a long time. Go back, reload the page and try again.

## Development mailbox

mailbox-title = Mailbox (development)
mailbox-intro = This portal sends no e-mail: messages stay here, so you can follow the links in invitations and reset mails.
mailbox-empty = There are no messages yet.
mailbox-date = Date
mailbox-from = From
mailbox-to = To
mailbox-subject = Subject
mailbox-status = Status
mailbox-status-queued = queued
mailbox-status-sending = sending
mailbox-status-sent = delivered
mailbox-status-failed = failed
mailbox-html-view = Open the HTML view
mailbox-text-view = Text version
mailbox-back = ← Back to the mailbox
