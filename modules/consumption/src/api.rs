//! The back-office API of consumption (`/api/admin/v1/consumption`, scope
//! `consumption`): bulk upserts of services and of meters with their
//! channels by external id, and readings in bulk (idempotent by external
//! id or by meter, channel and instant; errors per row). A reading a
//! customer enters in the portal reaches the back-office as the event
//! `consumption.reading_submitted`.

use poem_openapi::payload::Json;
use poem_openapi::{Object, OpenApi, Tags};
use portal_core::api::auth::StaffToken;
use portal_core::api::sync_admin::{SyncResponse, batch_refused};

use crate::sync::{self, MAX_ROWS, MeterRow, ReadingRow, ServiceRow};

#[derive(Tags)]
enum ConsumptionTags {
    /// Services, meters and readings.
    Consumption,
}

/// A batch of services.
#[derive(Object, Debug)]
pub struct ServiceBatch {
    /// 1 to 10,000 per call (`sync::MAX_ROWS`).
    #[oai(validator(min_items = 1, max_items = 10000))]
    pub services: Vec<ServiceRow>,
}

/// A batch of meters with their channels.
#[derive(Object, Debug)]
pub struct MeterBatch {
    /// 1 to 10,000 per call (`sync::MAX_ROWS`).
    #[oai(validator(min_items = 1, max_items = 10000))]
    pub meters: Vec<MeterRow>,
}

/// A batch of readings.
#[derive(Object, Debug)]
pub struct ReadingBatch {
    /// 1 to 10,000 per call (`sync::MAX_ROWS`).
    #[oai(validator(min_items = 1, max_items = 10000))]
    pub readings: Vec<ReadingRow>,
}

/// The consumption endpoints.
pub struct ConsumptionAdminApi;

#[OpenApi(tag = "ConsumptionTags::Consumption")]
impl ConsumptionAdminApi {
    /// Upsert the services of locations by external id (idempotent; up to 10,000 per call).
    #[oai(
        path = "/services/sync",
        method = "post",
        operation_id = "consumption_services_sync"
    )]
    async fn services(
        &self,
        auth: StaffToken,
        body: Json<ServiceBatch>,
    ) -> poem::Result<SyncResponse> {
        let rows = &body.0.services;
        if let Some(r) = batch_refused("services", rows.len(), MAX_ROWS) {
            return Ok(r);
        }
        let t = &auth.0.resolved.tenant;
        Ok(SyncResponse::Ok(Json(
            sync::services(&auth.0.state.db, t.scope(), rows).await?,
        )))
    }

    /// Upsert meters with their channels by external id (idempotent; up to 10,000 per call).
    #[oai(
        path = "/meters/sync",
        method = "post",
        operation_id = "consumption_meters_sync"
    )]
    async fn meters(&self, auth: StaffToken, body: Json<MeterBatch>) -> poem::Result<SyncResponse> {
        let rows = &body.0.meters;
        if let Some(r) = batch_refused("meters", rows.len(), MAX_ROWS) {
            return Ok(r);
        }
        let t = &auth.0.resolved.tenant;
        Ok(SyncResponse::Ok(Json(
            sync::meters(&auth.0.state.db, t.scope(), rows).await?,
        )))
    }

    /// Upsert meter readings (idempotent by external id, or by meter, channel and instant; up to 10,000 per call); the consumption they change is derived again.
    #[oai(
        path = "/readings/sync",
        method = "post",
        operation_id = "consumption_readings_sync"
    )]
    async fn readings(
        &self,
        auth: StaffToken,
        body: Json<ReadingBatch>,
    ) -> poem::Result<SyncResponse> {
        let rows = &body.0.readings;
        if let Some(r) = batch_refused("readings", rows.len(), MAX_ROWS) {
            return Ok(r);
        }
        let t = &auth.0.resolved.tenant;
        Ok(SyncResponse::Ok(Json(
            sync::readings(&auth.0.state.db, t.scope(), rows).await?,
        )))
    }
}
