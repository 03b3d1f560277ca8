-- Consumption (seed 004): the services of a location (heating, cooling,
-- tap water, electricity, gas, ...), its meters and their channels, the
-- readings, and what is derived from them: consumption per local day and
-- per month per channel, kept in step with the readings (a correction of
-- an older reading recomputes the days and months it touches).
CREATE TABLE consumption_services (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('heating', 'cooling', 'tap_water', 'water', 'electricity', 'gas', 'other')),
    status TEXT NOT NULL CHECK (status IN ('supplied', 'unsupplied', 'requested', 'removed')),
    supply_from TEXT,
    supply_to TEXT,
    contract_number TEXT NOT NULL DEFAULT '',
    -- Estimated annual consumption, in the unit of the service's channels.
    estimated_annual REAL,
    unit TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX consumption_services_by_location ON consumption_services (location_id, kind);

CREATE TABLE consumption_meters (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    customer_id INTEGER NOT NULL REFERENCES core_customers(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    external_id TEXT NOT NULL,
    -- The meter's own number, as on its plate.
    number TEXT NOT NULL,
    active BOOLEAN NOT NULL DEFAULT 1,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (tenant_id, external_id)
);
CREATE INDEX consumption_meters_by_location ON consumption_meters (location_id);

-- What a meter measures: one channel per utility (a multi-channel meter
-- measures heat and tap water).
CREATE TABLE consumption_channels (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    meter_id INTEGER NOT NULL REFERENCES consumption_meters(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    code TEXT NOT NULL,
    kind TEXT NOT NULL CHECK (kind IN ('heating', 'cooling', 'tap_water', 'water', 'electricity', 'gas', 'other')),
    unit TEXT NOT NULL,
    UNIQUE (meter_id, code)
);
CREATE INDEX consumption_channels_by_location ON consumption_channels (location_id, kind);

CREATE TABLE consumption_readings (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES consumption_channels(id) ON DELETE CASCADE,
    read_at TEXT NOT NULL,
    value REAL NOT NULL,
    -- 'remote' (read remotely), 'customer' (entered in the portal), 'estimated'.
    source TEXT NOT NULL CHECK (source IN ('remote', 'customer', 'estimated')),
    external_id TEXT,
    created_at TEXT NOT NULL,
    UNIQUE (channel_id, read_at),
    UNIQUE (tenant_id, external_id)
);

-- Consumption per local day (Europe/Amsterdam) per channel.
CREATE TABLE consumption_daily (
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES consumption_channels(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    day TEXT NOT NULL,
    amount REAL NOT NULL,
    PRIMARY KEY (channel_id, day)
);
CREATE INDEX consumption_daily_by_location ON consumption_daily (location_id, kind, day);

-- The same per month (its first day), kept in step with the days.
CREATE TABLE consumption_monthly (
    tenant_id INTEGER NOT NULL REFERENCES core_tenants(id) ON DELETE CASCADE,
    channel_id INTEGER NOT NULL REFERENCES consumption_channels(id) ON DELETE CASCADE,
    location_id INTEGER NOT NULL REFERENCES core_locations(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    month TEXT NOT NULL,
    amount REAL NOT NULL,
    PRIMARY KEY (channel_id, month)
);
CREATE INDEX consumption_monthly_by_location ON consumption_monthly (location_id, kind, month);
