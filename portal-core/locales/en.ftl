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
header-help = Help
start-heading = How can we help?
start-login = Log in to your customer portal
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

## Logging in

login-title = Log in
login-heading = Log in
login-submit = Log in
login-bye = You are logged out.
login-password-set = Your password is set. You can log in now.
login-failed-customer_number_email = We do not know this combination of customer number, email address and password. Check what you entered and try again.
login-failed-username = We do not know this combination of user name and password. Check what you entered and try again.
login-failed-email = We do not know this combination of email address and password. Check what you entered and try again.
login-reset-your-password = Reset your password
login-unconfirmed = You have not confirmed your email address yet. Click the link in the confirmation email we sent you. No email? Check your spam folder, or ask for a new one.
login-resend-confirmation = Send the confirmation email again
login-forgot = Forgot your password, or need one?
login-register = No account yet? Register
login-totp-wrong = This code is wrong or was used already. Wait for the next code in your app and try again.
field-customer-number = Customer number
field-email = Email address
field-username = User name
field-username-or-email = User name or email address
field-password = Password
field-new-password = New password
field-repeat-password = Repeat the new password
field-current-password = Current password
field-totp-code = Code from your authenticator app
field-language = Language
back-to-login = Back to log in

## Two-step verification at login

totp-title = Enter your code
totp-heading = Enter your code
totp-intro = Open the authenticator app on your phone and enter the six-digit code.
totp-submit = Confirm
totp-cancel = Cancel

## Forgot password and links

forgot-title = Forgot password
forgot-heading = Request a password
forgot-intro = Enter your details. If we find an account, we will email you a link to set a new password.
forgot-submit = Send me a link
forgot-sent = If the details belong to an account, we have sent an email with a link. Please also check your spam folder.
reset-title = New password
reset-heading = Choose a new password
reset-intro = Choose a new password for your account.
reset-submit = Save password
reset-identity-intro = To check it is you, please enter your customer number and email address once more.
reset-identity-mismatch = This customer number and email address do not belong to this link. Check what you entered.
invite-title = Set your password
invite-heading = Welcome! Set your password
invite-intro = Choose a password. You will use it to log in to the portal.
invite-submit = Set password
link-spent-heading = This link no longer works
link-spent-text = The link has expired or was used already. Ask for a new link; we will email it to you.
link-spent-new = Ask for a new link
confirm-spent-text = The confirmation link has expired or was used already. Log in with your email address and password; you can then ask for a new confirmation email.
confirm-title = Confirm your email address
confirm-intro = Click the button to confirm your email address. You can log in after that.
confirm-submit = Confirm my email address
confirm-done-heading = Email address confirmed
confirm-done-text = Thank you! Your email address is confirmed. You can log in now.
resend-heading = Confirmation email
resend-text = If there is an account waiting for confirmation, we have sent the confirmation email again.

## Registration

register-title = Register
register-heading = Create an account
register-intro = Enter your customer number (you find it on your invoice) and choose the email address you want to log in with. We will email you to confirm the address.
register-submit = Create account
register-sent-heading = Check your mailbox
register-sent-text = If we know your customer number and it has no account yet, we have sent you an email. Click the link in it to confirm your account.
register-bad-number = Enter your customer number.
register-bad-email = Enter a valid email address, for example name@example.com.

## Password rules

pw-help = At least { $min } characters. A sentence of a few words is strong and easy to remember.
pw-help-composition = At least { $min } characters, with an upper-case letter, a digit and a punctuation mark or other symbol.
pw-too-short = The password is too short: use at least { $n } characters.
pw-too-long = The password is too long: use at most { $n } characters.
pw-common = This password is used a lot and therefore easy to guess. Choose another one.
pw-context = The password must not contain your name, email address, customer number or the organisation's name.
pw-needs-upper = Use at least one upper-case letter.
pw-needs-digit = Use at least one digit.
pw-needs-symbol = Use at least one punctuation mark or other symbol, such as ! or #.
pw-mismatch = The two passwords are not the same.

## Settings

settings-title = Settings
settings-heading = Settings
settings-account = Your account
settings-language = Language
settings-save = Save
settings-password = Change password
settings-password-submit = Change password
settings-wrong-password = The current password is not right.
settings-totp = Two-step verification
settings-totp-on = Two-step verification is on. When you log in, we ask for a code from your app.
settings-totp-off = Two-step verification is off. Turn it on for extra protection: when you log in, we then also ask for a code from an app on your phone.
settings-totp-enable = Turn on two-step verification
settings-totp-disable = Turn off two-step verification
settings-sessions = Log out everywhere
settings-sessions-intro = Logged in on a computer that is not yours, or lost your phone? Log out everywhere, here too.
settings-logout-all = Log out everywhere
settings-done-password = Your password has been changed. You are logged out on other devices.
settings-done-language = Your language has been saved.
settings-done-totp-on = Two-step verification is now on.
settings-done-totp-off = Two-step verification is now off.
totp-setup-title = Turn on two-step verification
totp-setup-heading = Turn on two-step verification
totp-setup-step-app = Install an authenticator app on your phone, for example Google Authenticator, Microsoft Authenticator or FreeOTP.
totp-setup-step-scan = Scan this QR code with the app.
totp-setup-manual = Cannot scan? Enter this key in the app instead:
totp-setup-step-code = Enter the six-digit code the app shows now.
totp-setup-submit = Turn on
totp-setup-cancel = Cancel

## Login settings (for staff)

setting-auth-login-mode = How customers log in
setting-auth-password-min-length = Minimum password length
setting-auth-password-composition = Password with upper case, digit and symbol
setting-auth-reset-valid = Reset link valid for (minutes)
setting-auth-invite-valid = Invitation valid for (hours)
setting-auth-confirm-valid = Confirmation link valid for (hours)
setting-auth-session-idle = Log out after inactivity (minutes)
setting-auth-session-absolute = Log out after (hours)
setting-auth-registration = Customers may register
setting-auth-staff-set-password = Staff may set a password
setting-auth-username-label = Name of the user name field on the login page (Dutch | English; empty: the built-in)

## My organisation

header-organisation = My organisation
org-title = My organisation
org-heading = My organisation
org-details = Details
org-name = Name
org-phone = Phone
org-invoice-address = Invoice address
org-correspondence-address = Correspondence address
org-payment-method = Payment method
org-locations = Locations
org-contacts = Contact persons
org-role-admin = Administrator
org-role-employee = Employee
org-role-employee-plus = Employee+
org-active = Active
org-yes = Yes
org-no = No

## Activity

org-activity = Activity
org-activity-when = When
org-activity-who = Account
org-activity-what = What
activity-login = Logged in
activity-login-password = Password right, code asked
activity-login-totp-failed = Wrong code at login
activity-logout = Logged out
activity-logout-everywhere = Logged out everywhere
activity-password-changed = Password changed
activity-password-reset = Password reset
activity-password-reset-requested = New password requested
activity-password-set = First password set
activity-password-set-by-staff = Password set by staff
activity-totp-enabled = Two-step verification on
activity-totp-disabled = Two-step verification off
activity-totp-reset-by-staff = Two-step verification reset by staff
activity-account-created = Account created
activity-account-activated = Account activated
activity-account-deactivated = Account deactivated
activity-account-deleted = Account deleted
activity-email-changed = Email address changed
activity-link-invite-sent = Invitation sent
activity-link-reset-sent = Reset link sent
activity-sessions-ended-by-staff = Logged out by staff
activity-registered = Registered
activity-registration-confirmed = Registration confirmed
setting-auth-customer-set-password = A customer's admin may set the password of an account it adds
people-tab-organisation = Organisation
people-tab-personal = Personal details
people-tab-contacts = Contact persons
people-edit = Change
people-manage = Manage contact persons
people-save = Save
people-create = Create
people-cancel = Cancel
people-add = Add contact person
people-name = Name
people-first-name = First name
people-last-name = Last name
people-gender = Gender
people-gender-female = Female
people-gender-male = Male
people-gender-other = Other
people-choose = Choose…
people-roles = Authorisation role
people-roles-help = Employee+ also sees colleagues' tickets; switch it on only together with Employee. Administrators see everything of the organisation, including invoices and the subscription.
people-login = Login
people-login-email = Portal e-mail address
people-login-email-help = You log in with this address. A change is confirmed at the old and the new address.
people-confirm-password = Your portal password
people-confirm-password-help = Confirm the change with your own password.
people-password-optional = Set a password yourself, or leave it empty to send an invitation.
people-invite-note = The contact person receives an invitation by e-mail to set a password.
people-main-account = main account
people-col-admin = Adm.
people-col-employee = Emp.
people-col-employee-plus = Emp.+
people-rights = Rights
people-rights-set = Set rights
people-rights-intro = Per location: read rights (view) and write rights (change). Write rights include read rights.
people-rights-children = Other customers this account may see
people-rights-no-locations = Your organisation has no locations yet.
people-right-read = Read
people-right-write = Write
people-personal-intro = View and change your personal details.
people-org-edit = Change organisation details
people-org-edit-intro = Changes are recorded; our administration may overwrite them at its next update.
people-done-saved = Your changes have been saved.
people-done-added = The contact person has been added and receives an invitation by e-mail.
people-error-required = Fill in this field.
people-error-too-long = This is too long, or contains characters that are not allowed.
people-error-gender = Choose a gender.
people-error-email = Enter an e-mail address like name@example.com.
people-error-email-taken = This e-mail address cannot be used here. Choose another address.
people-error-username-taken = This login name is already taken.
people-error-plus-needs-employee = Employee+ can only be switched on together with Employee.
people-error-no-role = Choose at least one role: Administrator or Employee.
people-error-own-admin = You cannot take away your own administrator role or access; ask another administrator.
people-error-main-active = The main account stays active; the portal's staff can deactivate it.
people-error-current-password = Your password is not correct.
activity-contact-added = Contact person added
activity-contact-changed = Contact person changed
activity-roles-changed = Roles changed
activity-rights-changed = Rights changed
activity-personal-changed = Personal details changed
activity-organisation-changed = Organisation details changed
activity-password-set-by-admin = Password set by the administrator
activity-account-reset = Portal account reset
activity-view-as-started = Staff started viewing as this account
activity-view-as-ended = Staff stopped viewing as this account
activity-login-failed = Failed login
switch-label = Customer
switch-all = All customers
switch-submit = Show
view-as-banner = { $staff }, you are viewing the portal as { $account }. Read-only: nothing can be changed.
view-as-end = Back to the staff pages
view-as-read-only-title = Read-only
view-as-read-only = You are viewing the portal as a customer: nothing can be changed here. Go back to the staff pages to act.
staff-title = Staff
staff-customers = Customers
staff-permissions = Roles and permissions
staff-api-keys = API keys
staff-settings = Settings
staff-login-title = Staff login
staff-login-failed = The e-mail address or password is not correct.
staff-login-2fa-note = Staff always log in with a code from an authenticator app.
staff-code-title = Enter your code
staff-setup-required = Staff accounts need two-step verification. Set it up now to continue.
staff-search-label = Customer number, name or e-mail address
staff-search = Search
staff-no-results = No customers found.
staff-accounts = Portal accounts
staff-kind = Kind
staff-main = main account
staff-extra = extra account
staff-new-account = New portal account
staff-extra-account = Extra account (next to the main account)
staff-welcome = Mail
staff-welcome-invite = Invitation with a link to set a password
staff-welcome-created = Notice that the account was created
staff-welcome-none = No mail
staff-details = Details
staff-password-set = Password set
staff-created = Created
staff-by = By
staff-address = Address
staff-view-as = View as customer
staff-invite = Send invitation again
staff-reset = Reset portal account
staff-two-factor = Switch off 2FA
staff-deactivate = Deactivate
staff-activate = Activate
staff-reset-help = Reset removes the password and two-step verification, ends every session and sends a new link to set a password.
staff-done-created = The account has been created.
staff-done-invited = The invitation has been sent.
staff-done-reset = The portal account has been reset; a new link has been sent.
staff-done-activated = The account is active.
staff-done-deactivated = The account is deactivated.
staff-done-two-factor = Two-step verification is off; the user has been told.
staff-permissions-intro = Which organisation role holds which permission by default, for the modules this portal uses.
staff-permission = Permission
staff-no-permissions = The enabled modules declare no permissions.
staff-key-shown-once = Copy the key now: it is shown only this once.
staff-scopes = Scopes
staff-scopes-help = What the key may reach:
staff-last-used = Last used
staff-revoked = revoked
staff-revoke = Revoke
staff-new-key = New API key
actor-user = the user
actor-staff = staff
actor-api-key = back-office (API key)
actor-system = the portal
activity-staff-login = Staff login
activity-staff-login-failed = Failed staff login
activity-staff-totp-enabled = Staff 2FA set up
activity-api-key-created = API key created
activity-api-key-revoked = API key revoked
activity-settings-changed = Settings changed
activity-account-synced = Account updated by the back-office
activity-branding-changed = Branding changed
activity-messages-changed = Page messages changed
activity-template-changed = Mail template changed
activity-tenant-changed = Portal details changed
staff-activity-intro = What happened to the portal itself: staff logins, API keys, settings, branding, page messages and mail templates. Activity of an account is on its own page.
staff-branding = Branding
staff-colours = Colours
staff-colours-intro = Leave a colour empty for the default (or the parent organisation's). Text and background must reach a 4.5:1 contrast.
staff-colour-primary = Primary colour
staff-colour-primary-text = Text on the primary colour
staff-colour-secondary = Secondary colour
staff-colour-secondary-text = Text on the secondary colour
staff-messages = Page messages
staff-message-new = New message
staff-message-intro = Keep messages short: a long text pushes the page down.
staff-message-page = Page
staff-message-page-help = * for every page, or a path such as / or /invoices
staff-message-kind = Kind
staff-message-text = Text (bold, italic, lists and links are kept)
staff-message-neutral = Neutral
staff-message-warning = Warning
staff-message-important = Important
staff-message-kind-error = Choose neutral, warning or important.
staff-delete = Delete
staff-templates = Mail templates
staff-template-mail = Mail
staff-template-key = Key
staff-template-version = Language and form of address
staff-form-formal = formal
staff-form-informal = informal
staff-template-default = This is the built-in text. Saving makes it this portal's own.
staff-template-own = This portal has its own text.
staff-template-subject = Subject
staff-template-html = HTML
staff-template-text = Plain text
staff-template-reset = Back to the built-in text
staff-template-placeholders = Placeholders
staff-template-placeholders-intro = Write a placeholder with curly brackets; write {"{{"} for a curly bracket itself.
people-error-main-only = Only the main account itself can change the main account.
people-error-email-main-only = Only the main account can change the login e-mail address of an administrator or of an account with rights of its own.
staff-settings-auth = Logging in and accounts

# Uploaded files (files/upload.rs, files/sniff.rs)
files-refused-type = { $name }: this kind of file cannot be added. Allowed are images (PNG, JPEG, GIF, WebP), PDF, Office and OpenDocument files and plain text.
files-refused-markup = { $name }: web pages, SVG images and other markup files cannot be added. Take a screenshot (PNG) or make a PDF.
files-refused-name = { $name }: the file's name does not match its content. Give the file the right extension.
files-refused-empty = { $name }: the file is empty.
files-refused-too-large = { $name }: the file is larger than { $limit } MB.
files-refused-total = The files together are larger than { $limit } MB. Send fewer at a time.
files-refused-count = You can add at most { $limit } files at a time.
files-refused-field = One of the fields is too long.
files-refused-fields = The form has more than { $limit } fields; send it from the page itself.
files-refused-nul = The name of a file contains an invalid character.
files-refused-malformed = The form did not arrive properly. Please try again.

## Staff workspace: navigation, roles, staff permissions
staff-nav-label = Staff menu
staff-members = Staff accounts
staff-role-admin = admin
staff-role-support = support
staff-role-editor = editor
staff-perm-customers = Customers, portal accounts, view as customer and activity
staff-perm-messages = Page messages
staff-perm-branding = Branding: logo, favicon and colours
staff-perm-templates = Mail templates
staff-perm-settings = Portal settings and API keys
staff-perm-members = Staff and their roles
staff-permissions-staff = Staff permissions
staff-permissions-staff-intro = Which staff role holds which permission. An admin holds them all.
staff-member-new = Add a staff member
staff-member-role = Role
staff-member-state = State
staff-member-active = active
staff-member-inactive = deactivated
staff-member-totp = Two-step verification
staff-member-totp-on = set up
staff-member-totp-off = not set up yet
staff-member-you = (you)
staff-member-save = Save
staff-member-reset = Reset password and 2FA
staff-member-reset-confirm = This gives the staff member a new password and removes their two-step verification. Continue?
staff-member-deactivate-confirm = This staff member will no longer be able to log in. Continue?
staff-member-password-once = First password for { $who }. Pass it on in person: it is shown only once. At their first login they set up two-step verification.
staff-member-intro = Admins may do everything. Support helps customers: customers, accounts, tickets, requests and messages. Editors look after branding, mail templates and messages.
staff-member-error-role = Choose a role.
staff-member-error-email = Enter a valid e-mail address.
staff-member-error-taken = There is already a staff member with this e-mail address.
staff-member-error-last-admin = The portal must keep at least one active admin.
staff-me = My account
staff-me-password = Change password
staff-me-password-help = At least { $min } characters. Your other sessions end.
staff-me-password-done = Your password has been changed.
staff-me-new-password = New password
staff-me-repeat = Repeat the new password
staff-me-totp = Set up two-step verification again
staff-me-totp-help = For a new phone, for example. You are logged out and set up a new code at your next login.
staff-me-totp-button = Set up again and log out
staff-requests = Requests
staff-perm-requests = Customers' requests (subscriptions, moves, advance amounts)
staff-requests-open = Open
staff-requests-all = All
staff-requests-date = Date
staff-requests-kind = Kind
staff-requests-subject = Subject
staff-requests-customer = Customer
staff-requests-no-customer = Not a customer yet
staff-requests-status = Status
staff-requests-none = There are no requests.
staff-change-account = Change the account
staff-new-email = Login e-mail address
staff-new-email-help = On the customer's request. The old and the new address get a confirmation; links to the old address stop working.
staff-change-email = Change e-mail address
staff-error-email = Enter a valid e-mail address.
staff-error-email-taken = This e-mail address already belongs to another portal account.
staff-set-password = Set password
staff-set-password-help = This portal allows staff to set a password. The password policy applies; the account's sessions end.
staff-delete-account = Delete account
staff-delete-help = Deletes only this portal account; the customer and its data stay.
staff-delete-confirm = The account { $email } will be deleted. Continue?
staff-confirm-reset = The password, two-step verification and sessions of this account will be wiped. Continue?
staff-confirm-deactivate = This account will no longer be able to log in. Continue?
staff-done-email = The e-mail address has been changed; both addresses got a confirmation.
staff-done-password = The password has been set.
staff-done-deleted = The account has been deleted.
staff-inherit-title = Branding of the parent organisation
staff-inherit-on = This portal takes over the parent organisation's branding, except what is set below.
staff-inherit-off = This portal uses only its own branding.
staff-inherit-start = Take over the parent organisation's branding
staff-inherit-stop = Use only our own branding
staff-images = Logo and favicon
staff-images-intro = PNG, JPEG, SVG (without scripts) or ICO, at most { $kb } kB. The portal shows a new image at once.
staff-image-logo = Logo
staff-image-favicon = Favicon
staff-image-none = Not set yet: the portal shows the name.
staff-image-current = Current { $what }
staff-image-choose = Choose a file
staff-image-upload = Upload
staff-image-remove = Remove { $what }
staff-image-remove-confirm = The image will be removed. Continue?
staff-image-error-none = Choose a file first.
staff-image-error-size = The file is larger than { $kb } kB.
staff-image-error-type = This file is not a PNG, JPEG, ICO or SVG image (or the SVG holds scripts or external references).
staff-image-error-read = The file could not be read. Please try again.
staff-colour-error-format = Enter a colour as #rrggbb, for example #0b6e4f.
staff-colour-error-contrast = Text and background reach a contrast of { $ratio }:1; at least 4.5:1 is needed. Choose a darker or lighter colour.
staff-colours-check = Check
staff-contrast-caption = Contrast as the portal will show it
staff-contrast-pair = Colour pair
staff-contrast-example = Example
staff-contrast-ratio = Contrast
staff-contrast-verdict = Verdict
staff-contrast-pass = passes
staff-contrast-fail = too little contrast
staff-template-back = Back to the mail templates
staff-template-preview = Preview
staff-template-preview-title = Preview
staff-template-preview-intro = This is the mail with example data, as it stands in the form (not saved yet).
staff-template-test = Send a test mail to { $to }
staff-template-test-sent = The test mail (the saved version) is on its way to { $to }.
staff-template-test-limit = Too many test mails were sent this hour. Please try again later.
staff-template-reset-confirm = The own text will be removed and the default used. Continue?
staff-settings-portal = Portal and contact details
staff-portal-url = Address of the portal
staff-portal-url-help = For example https://my.yourcompany.com. The address is checked at once; links in mails use it.
staff-portal-url-save = Check and save
staff-contact-support-email = Support e-mail address
staff-contact-support-email-help = Customers see it in the portal; new tickets and customers' replies are mailed here.
staff-contact-phone = Phone number
staff-contact-website = Website
staff-contact-error-support-email = Enter a valid e-mail address, or leave the field empty.
staff-contact-error-phone = Enter a valid phone number, or leave the field empty.
staff-contact-error-website = Enter a full web address (https://...), or leave the field empty.
url-error-empty = Enter the address of the portal, for example https://my.yourcompany.com.
url-error-not-absolute = { $url } is not a full address: it must start with https://.
url-error-invalid = { $url } is not a valid web address.
url-error-ip = Use a domain name, not an IP address.
url-error-no-domain = The address has no domain name.
url-error-https = The portal must use https:// (http:// only for localhost).
url-error-credentials = The address must not contain a user name or password.
url-error-query = The address must not contain a query (?...).
url-error-fragment = The address must not contain a part after #.
url-error-path = The address must not contain a path: give the portal its own (sub)domain, or use the shared address with the company code.
url-error-domain = { $url } has no valid domain name (for example my.yourcompany.com).
url-error-reserved = { $url } is what the portal uses for every customer; choose your own domain.
url-error-taken = { $url } is already the address of another portal.
staff-message-all-pages = All pages
staff-message-home = Home page
staff-message-when = When
staff-message-actions = Actions
staff-message-from = from { $at }
staff-message-until = until { $at }
staff-message-always = always
staff-message-none = There are no messages.
staff-message-long = Long message: it pushes the page down.
staff-message-delete-confirm = The message will be deleted. Continue?
staff-message-text-nl = Text in Dutch
staff-message-text-en = Text in English
staff-message-text-help = Bold, italic, underline, strike-through, lists, a colour and links stay; the rest is removed.
staff-message-text-en-help = Empty: English readers see the Dutch text.
staff-message-starts = Show from (empty: at once)
staff-message-ends = Show until (empty: until you delete it)
staff-message-error-time = Enter a valid date and time.
staff-message-error-page = Choose a page.
staff-message-error-html = Write a text (in at least one language).
staff-message-error-html-en = The English text is too long.
staff-message-error-ends-at = The end must be after the start.
richtext-toolbar = Formatting
richtext-bold = Bold
richtext-italic = Italic
richtext-underline = Underline
richtext-strike = Strike through
richtext-list = Bulleted list
richtext-numbered = Numbered list
richtext-link = Link
richtext-link-prompt = Address of the link
richtext-colour = Red text
setting-auth-staff-session-idle = Log staff out after this many idle minutes
setting-auth-staff-session-absolute = Log staff out after (hours)
staff-access = Roles and rights
staff-access-change = change
staff-access-main = This is the main account: it sees every location of the customer and its child customers.
staff-done-access = The roles and rights have been saved.
staff-parent = Parent account (domein contractant)
staff-parent-now = Part of
staff-parent-none = This customer is not under another customer.
staff-parent-number = Customer number of the parent
staff-parent-help = Empty: the customer is not (or no longer) under another customer. The parent then sees this customer's data.
staff-parent-error-unknown = There is no customer with this number.
staff-parent-error-self = A customer cannot be under itself.
staff-parent-error-cycle = This customer is itself the parent of that customer.
staff-done-parent = The parent has been saved.
staff-activity-none = No activity yet.
activity-staff-member-added = Staff member added
activity-staff-member-changed = Staff member changed
activity-staff-member-reset = Staff member's password and 2FA reset
activity-staff-password-changed = Own password changed
activity-staff-two-factor-reset = Own two-step verification set up again
activity-settings-portal-url = Portal address changed
activity-settings-contact = Contact details changed
activity-template-test-sent = Test mail sent
activity-customer-parent-changed = Parent customer changed
staff-change-username = Change user name
staff-username-help = On the customer's request. Empty removes the user name (not where customers log in with their user name).
staff-error-username = A user name has at most 100 characters.
staff-error-username-taken = This user name is already in use.
staff-error-username-needed = Customers log in to this portal with their user name: enter one.
staff-done-username = The user name has been changed.
activity-username-changed = User name changed
staff-setting-error-bool = Choose on or off.
staff-setting-error-number = Enter a whole number from { $min } to { $max }.
staff-setting-error-text = At most { $max } characters.
staff-setting-error-choice = Choose one of: { $choices }.
staff-revoke-confirm = The key stops working. Continue?
login-error-empty-customer-number = Enter your customer number.
login-error-empty-email = Enter your e-mail address.
login-error-empty-username = Enter your user name or e-mail address.
login-error-empty-password = Enter your password.

# Edit policies and portal changes waiting for the back-office (issue 17)
staff-settings-layout = Portal: changes, home page and menu
setting-portal-edit-login-email = Who may change a login e-mail address
setting-portal-edit-personal = Who may change a person's name and phone number
setting-portal-edit-organisation = Who may change the organisation's details
setting-portal-edit-correspondence = Who may change the correspondence address
setting-portal-home = Home page: overview, organisation (details) or the path of a module's page, e.g. /invoices
setting-portal-nav = Main menu, separated by ";": e.g. "organisation; invoices+subscriptions = Facturen/Abonnement | Invoices/Subscription; tickets = Support". Empty: the standard menu.
setting-choice-nobody = Nobody (changes through support)
setting-choice-own = The account itself (organisation: every user)
setting-choice-admins = Administrators
setting-choice-own_and_admins = The account itself and administrators
change-pending = Waiting for processing
change-pending-text = This change has been passed on to our administration. Once it has been processed, this notice disappears.
change-group-organisation = organisation details
change-group-correspondence = correspondence address
change-group-personal = name and phone number
change-group-login_email = login e-mail address
people-change-by-support = Would you like to change these details? Please pass the change on to our support team.
people-personal-details = Your details
people-personal-edit = Change personal details
people-contact-details = Contact person's details
people-no-portal-access = No access to the customer portal
people-back-to-contacts = Back to contact persons
nav-organisation = My organisation
home-card-organisation = My details
home-card-organisation-text = Your organisation's details, your personal details and the contact persons.
people-no-portal-access-choice = Without access to the customer portal
people-no-portal-access-help = Record as a contact person only: no login e-mail address and no invitation. Access can be given later by entering a login e-mail address.
breadcrumb-label = Breadcrumb
setting-portal-login-email-follows = The main account's login e-mail is the customer's e-mail in the administration (changes with it)
staff-login-button = Login button for your website
staff-login-button-help = Put this HTML on your company's website: the button opens the customer portal's login page, in your colours.
staff-login-button-preview = The button looks like this:
staff-login-button-label = Customer portal login
