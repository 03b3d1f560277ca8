//! Back-office endpoints for portal accounts: list, create (with an
//! invitation or a confirmation mail), send an invitation or reset link,
//! (de)activate, change the e-mail (mails to both addresses), reset 2FA,
//! end sessions, delete (the customer stays), the activity log, and, only
//! where the tenant allows it (seed 002), set a password. No answer ever
//! holds a password, a hash or a token.

use chrono::{DateTime, Utc};
use poem_openapi::param::Path;
use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};

use super::admin::{ApiErrors, FieldError};
use super::auth::StaffToken;
use crate::auth::accounts::{self, Account, AccountError};
use crate::auth::activity;
use crate::auth::flows::staff::{self, StaffNewAccount, StaffPasswordError, Welcome};
use crate::auth::tokens::Purpose;
use crate::tenant::{Lang, Tenant};
use crate::web::errors::internal;

#[derive(Tags)]
enum AccountTags {
    /// Portal accounts of the tenant's customers.
    Accounts,
}

fn invalid(field: &str, message: impl Into<String>) -> Json<ApiErrors> {
    Json(ApiErrors {
        errors: vec![FieldError {
            field: Some(field.to_string()),
            message: message.into(),
        }],
        ..ApiErrors::default()
    })
}

fn account_error(e: AccountError) -> Result<Json<ApiErrors>, poem::Error> {
    Ok(match e {
        AccountError::NoCustomer(_) => invalid("customer_number", e.to_string()),
        AccountError::UsernameTaken(_) => invalid("username", e.to_string()),
        AccountError::BadEmail(_) | AccountError::EmailTaken(_) => invalid("email", e.to_string()),
        AccountError::Invalid(m) => invalid("customer_number", m),
        AccountError::Db(e) => return Err(internal(e)),
    })
}

/// A portal account as staff see it: never a password, hash or secret.
#[derive(Object, Debug)]
pub struct AccountView {
    pub id: i64,
    pub customer_number: String,
    pub customer_name: String,
    pub email: String,
    pub username: Option<String>,
    pub display_name: String,
    pub language: Option<Lang>,
    /// The customer's main account; false for an extra account (seed 002).
    pub main_account: bool,
    pub active: bool,
    /// False until a registration is confirmed (seed 004).
    pub confirmed: bool,
    /// False until the user has set a password.
    pub has_password: bool,
    pub two_factor: bool,
    pub created_at: DateTime<Utc>,
}

impl From<&Account> for AccountView {
    fn from(a: &Account) -> Self {
        Self {
            id: a.id,
            customer_number: a.customer_number.clone(),
            customer_name: a.customer_name.clone(),
            email: a.email.clone(),
            username: a.username.clone(),
            display_name: a.display_name.clone(),
            language: a.lang(),
            main_account: a.is_main,
            active: a.active,
            confirmed: a.confirmed,
            has_password: a.password_hash.is_some(),
            two_factor: a.totp_enabled(),
            created_at: a.created_at,
        }
    }
}

/// A new account.
#[derive(Object, Debug)]
pub struct NewAccountBody {
    /// The back-office's customer number; the customer is created when new.
    #[oai(validator(max_length = 64))]
    pub customer_number: String,
    /// The customer's name, used when the customer is new.
    #[oai(default, validator(max_length = 200))]
    pub customer_name: String,
    #[oai(validator(max_length = 254))]
    pub email: String,
    /// In the `username` login mode: the login name (defaults to the e-mail, seed 003).
    #[oai(validator(max_length = 128))]
    pub username: Option<String>,
    #[oai(default, validator(max_length = 200))]
    pub display_name: String,
    pub language: Option<Lang>,
    /// An extra account next to the customer's main account (seed 002).
    #[oai(default)]
    pub extra: bool,
    /// `invite` (a link to set a password), `created` (a notice; the
    /// customer uses "forgot password", seed 000) or `none`.
    pub welcome: Welcome,
}

/// Changes to an account; absent fields stay.
#[derive(Object, Debug)]
pub struct AccountPatchBody {
    /// False ends the account's sessions and links at once.
    pub active: Option<bool>,
    /// A new address: a confirmation goes to the old and the new one (seed 000).
    #[oai(validator(max_length = 254))]
    pub email: Option<String>,
}

/// A password chosen by staff (only where the tenant allows it).
#[derive(Object, Debug)]
pub struct StaffPasswordBody {
    #[oai(validator(max_length = 128))]
    pub password: String,
    #[oai(validator(max_length = 128))]
    pub repeat: String,
}

/// One activity log entry.
#[derive(Object, Debug)]
pub struct ActivityView {
    /// `user`, `staff`, `api_key` (the back-office) or `system`
    /// (`auth::activity::Actor`).
    #[oai(validator(pattern = "^(user|staff|api_key|system)$"))]
    pub actor: String,
    pub action: String,
    pub detail: String,
    pub ip: Option<String>,
    pub at: DateTime<Utc>,
}

#[derive(ApiResponse)]
pub enum ListResponse {
    /// The tenant's accounts, oldest first (at most 1000).
    #[oai(status = 200)]
    Ok(Json<Vec<AccountView>>),
}

#[derive(ApiResponse)]
pub enum AccountResponse {
    /// The account.
    #[oai(status = 200)]
    Ok(Json<AccountView>),
    /// The input was refused; nothing changed.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
    /// No such account for this tenant.
    #[oai(status = 404)]
    NotFound,
}

#[derive(ApiResponse)]
pub enum CreatedResponse {
    /// The account was created and its welcome mail queued.
    #[oai(status = 201)]
    Created(Json<AccountView>),
    /// The input was refused; nothing was created.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
}

#[derive(ApiResponse)]
pub enum ActionResponse {
    /// Done.
    #[oai(status = 204)]
    Done,
    /// The input was refused; nothing changed.
    #[oai(status = 422)]
    Invalid(Json<ApiErrors>),
    /// The tenant does not allow this.
    #[oai(status = 403)]
    Forbidden(Json<ApiErrors>),
    /// No such account for this tenant.
    #[oai(status = 404)]
    NotFound,
}

#[derive(ApiResponse)]
pub enum ActivityResponse {
    /// Newest first (at most 200).
    #[oai(status = 200)]
    Ok(Json<Vec<ActivityView>>),
    /// No such account for this tenant.
    #[oai(status = 404)]
    NotFound,
}

async fn find(auth: &StaffToken, id: i64) -> poem::Result<Option<(Account, Tenant)>> {
    let tenant = auth.0.resolved.tenant.clone();
    let a = accounts::by_id(&auth.0.state.db, tenant.scope(), id).await?;
    Ok(a.map(|a| (a, (*tenant).clone())))
}

/// Portal accounts.
pub struct AccountsAdminApi;

#[OpenApi(prefix_path = "/accounts", tag = "AccountTags::Accounts")]
impl AccountsAdminApi {
    /// List the tenant's portal accounts.
    #[oai(path = "/", method = "get", operation_id = "accounts_list")]
    async fn list(&self, auth: StaffToken) -> poem::Result<ListResponse> {
        let t = &auth.0.resolved.tenant;
        let all = accounts::list(&auth.0.state.db, t.scope(), None).await?;
        Ok(ListResponse::Ok(Json(all.iter().map(Into::into).collect())))
    }

    /// Create a portal account and send its welcome mail.
    #[oai(path = "/", method = "post", operation_id = "accounts_create")]
    async fn create(
        &self,
        auth: StaffToken,
        body: Json<NewAccountBody>,
    ) -> poem::Result<CreatedResponse> {
        let b = body.0;
        let n = StaffNewAccount {
            customer_number: b.customer_number,
            customer_name: b.customer_name,
            email: b.email,
            username: b.username,
            display_name: b.display_name,
            lang: b.language,
            extra: b.extra,
            active: true,
            welcome: b.welcome,
        };
        match staff::create_account(
            &auth.0.state.deps(),
            &auth.0.resolved.tenant,
            &auth.0.by(),
            &n,
        )
        .await?
        {
            Ok(a) => Ok(CreatedResponse::Created(Json((&a).into()))),
            Err(e) => Ok(CreatedResponse::Invalid(account_error(e)?)),
        }
    }

    /// One account.
    #[oai(path = "/:id", method = "get", operation_id = "accounts_get")]
    async fn get(&self, auth: StaffToken, id: Path<i64>) -> poem::Result<AccountResponse> {
        Ok(match find(&auth, id.0).await? {
            Some((a, _)) => AccountResponse::Ok(Json((&a).into())),
            None => AccountResponse::NotFound,
        })
    }

    /// Activate or deactivate an account, or change its e-mail address.
    #[oai(path = "/:id", method = "patch", operation_id = "accounts_update")]
    async fn update(
        &self,
        auth: StaffToken,
        id: Path<i64>,
        body: Json<AccountPatchBody>,
    ) -> poem::Result<AccountResponse> {
        let Some((a, t)) = find(&auth, id.0).await? else {
            return Ok(AccountResponse::NotFound);
        };
        let state = &auth.0.state;
        if let Some(email) = &body.0.email
            && let Err(e) = staff::change_email(&state.deps(), &t, &auth.0.by(), &a, email).await?
        {
            return Ok(AccountResponse::Invalid(account_error(e)?));
        }
        if let Some(active) = body.0.active
            && active != a.active
        {
            staff::set_active(&state.deps(), &t, &auth.0.by(), &a, active).await?;
        }
        Ok(match find(&auth, id.0).await? {
            Some((a, _)) => AccountResponse::Ok(Json((&a).into())),
            None => AccountResponse::NotFound,
        })
    }

    /// Delete an account; the customer and its data stay (seed 000).
    #[oai(path = "/:id", method = "delete", operation_id = "accounts_delete")]
    async fn delete(&self, auth: StaffToken, id: Path<i64>) -> poem::Result<ActionResponse> {
        let Some((a, t)) = find(&auth, id.0).await? else {
            return Ok(ActionResponse::NotFound);
        };
        staff::delete_account(&auth.0.state.deps(), &t, &auth.0.by(), &a).await?;
        Ok(ActionResponse::Done)
    }

    /// Send an invitation: a link to set a password, valid as the tenant's `auth.invite_valid_hours` says.
    #[oai(
        path = "/:id/invite",
        method = "post",
        operation_id = "accounts_invite"
    )]
    async fn invite(&self, auth: StaffToken, id: Path<i64>) -> poem::Result<ActionResponse> {
        self.link(auth, id.0, Purpose::Invite).await
    }

    /// Send a password reset link (seed 002): the password keeps working until the link is used; staff never see or choose the password.
    #[oai(path = "/:id/reset", method = "post", operation_id = "accounts_reset")]
    async fn reset(&self, auth: StaffToken, id: Path<i64>) -> poem::Result<ActionResponse> {
        self.link(auth, id.0, Purpose::Reset).await
    }

    /// Reset the portal account (seed 004): the password and 2FA are removed, every session and link ends, and the user gets a new link to set a password.
    #[oai(
        path = "/:id/reset-account",
        method = "post",
        operation_id = "accounts_reset_account"
    )]
    async fn reset_account(&self, auth: StaffToken, id: Path<i64>) -> poem::Result<ActionResponse> {
        let Some((a, t)) = find(&auth, id.0).await? else {
            return Ok(ActionResponse::NotFound);
        };
        staff::reset_account(&auth.0.state.deps(), &t, &auth.0.by(), &a).await?;
        Ok(ActionResponse::Done)
    }

    /// Switch off the account's two-factor authentication (the user lost their phone); the user gets a mail.
    #[oai(
        path = "/:id/two-factor",
        method = "delete",
        operation_id = "accounts_reset_two_factor"
    )]
    async fn reset_totp(&self, auth: StaffToken, id: Path<i64>) -> poem::Result<ActionResponse> {
        let Some((a, t)) = find(&auth, id.0).await? else {
            return Ok(ActionResponse::NotFound);
        };
        staff::reset_totp(&auth.0.state.deps(), &t, &auth.0.by(), &a).await?;
        Ok(ActionResponse::Done)
    }

    /// End every session of the account at once.
    #[oai(
        path = "/:id/sessions",
        method = "delete",
        operation_id = "accounts_end_sessions"
    )]
    async fn end_sessions(&self, auth: StaffToken, id: Path<i64>) -> poem::Result<ActionResponse> {
        let Some((a, t)) = find(&auth, id.0).await? else {
            return Ok(ActionResponse::NotFound);
        };
        staff::end_sessions(&auth.0.state.deps(), &t, &auth.0.by(), &a).await?;
        Ok(ActionResponse::Done)
    }

    /// Set a password for the customer: only where the tenant's `auth.staff_set_password` allows it (seed 002); audited.
    #[oai(
        path = "/:id/password",
        method = "put",
        operation_id = "accounts_set_password"
    )]
    async fn set_password(
        &self,
        auth: StaffToken,
        id: Path<i64>,
        body: Json<StaffPasswordBody>,
    ) -> poem::Result<ActionResponse> {
        let Some((a, t)) = find(&auth, id.0).await? else {
            return Ok(ActionResponse::NotFound);
        };
        match staff::set_password(
            &auth.0.state.deps(),
            &t,
            &auth.0.by(),
            &a,
            &body.0.password,
            &body.0.repeat,
        )
        .await?
        {
            Ok(()) => Ok(ActionResponse::Done),
            Err(StaffPasswordError::NotAllowed) => Ok(ActionResponse::Forbidden(invalid(
                "password",
                "this tenant does not allow staff to set passwords (setting auth.staff_set_password); send a reset link instead",
            ))),
            Err(StaffPasswordError::Policy(e)) => {
                let field = if e == crate::auth::password::PolicyError::Mismatch {
                    "repeat"
                } else {
                    "password"
                };
                Ok(ActionResponse::Invalid(invalid(field, policy_message(&e))))
            }
        }
    }

    /// What happened to the account, newest first (seed 004's activity tab).
    #[oai(
        path = "/:id/activity",
        method = "get",
        operation_id = "accounts_activity"
    )]
    async fn activity(&self, auth: StaffToken, id: Path<i64>) -> poem::Result<ActivityResponse> {
        let Some((a, t)) = find(&auth, id.0).await? else {
            return Ok(ActivityResponse::NotFound);
        };
        let list = activity::for_user(&auth.0.state.db, t.scope(), a.id, 200).await?;
        Ok(ActivityResponse::Ok(Json(
            list.into_iter()
                .map(|e| ActivityView {
                    actor: e.actor,
                    action: e.action,
                    detail: e.detail,
                    ip: e.ip,
                    at: e.created_at,
                })
                .collect(),
        )))
    }
}

impl AccountsAdminApi {
    async fn link(
        &self,
        auth: StaffToken,
        id: i64,
        purpose: Purpose,
    ) -> poem::Result<ActionResponse> {
        let Some((a, t)) = find(&auth, id).await? else {
            return Ok(ActionResponse::NotFound);
        };
        if !a.active {
            return Ok(ActionResponse::Invalid(invalid(
                "id",
                "the account is deactivated; activate it first",
            )));
        }
        staff::send_link(&auth.0.state.deps(), &t, &auth.0.by(), &a, purpose).await?;
        Ok(ActionResponse::Done)
    }
}

/// The English text of a refused password, for the API.
pub fn policy_message(e: &crate::auth::password::PolicyError) -> String {
    use crate::auth::password::PolicyError as P;
    match e {
        P::TooShort { min } => format!("the password is too short: at least {min} characters"),
        P::TooLong { max } => format!("the password is too long: at most {max} characters"),
        P::Common => "the password is too common".into(),
        P::ContainsContext => {
            "the password contains the name, e-mail, customer number or organisation name".into()
        }
        P::NeedsUpper => "the password needs an upper-case letter".into(),
        P::NeedsDigit => "the password needs a digit".into(),
        P::NeedsSymbol => "the password needs a symbol".into(),
        P::Guessable(_) => {
            "the password is easy to guess (a known word, a year or a keyboard pattern): make it longer, e.g. a few unrelated words".into()
        }
        P::Mismatch => "the two passwords differ".into(),
        P::AndMismatch(e) => format!("{}; and the two passwords differ", policy_message(e)),
    }
}
