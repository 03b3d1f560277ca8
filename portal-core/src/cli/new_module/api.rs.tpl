//! The back-office API of {name} (`/api/admin/v1/{name}`, scope `{name}`).

use poem_openapi::payload::Json;
use poem_openapi::{ApiResponse, Object, OpenApi, Tags};
use portal_core::api::auth::StaffToken;

#[derive(Tags)]
enum {Name}Tags {
    /// The {name} module.
    {Name},
}

/// How many rows the tenant has.
#[derive(Object, Debug)]
pub struct {Name}Count {
    pub count: i64,
}

#[derive(ApiResponse)]
pub enum {Name}CountResponse {
    /// The number of rows at this tenant.
    #[oai(status = 200)]
    Ok(Json<{Name}Count>),
}

/// The {name} endpoints.
pub struct {Name}AdminApi;

#[OpenApi(tag = "{Name}Tags::{Name}")]
impl {Name}AdminApi {
    /// Count the tenant's rows.
    #[oai(path = "/", method = "get", operation_id = "{name}_count")]
    async fn count(&self, auth: StaffToken) -> poem::Result<{Name}CountResponse> {
        let count =
            crate::store::count(&auth.0.state.db, auth.0.resolved.tenant.scope()).await?;
        Ok({Name}CountResponse::Ok(Json({Name}Count { count })))
    }
}
