consumption-nav = Consumption
consumption-title = Consumption
consumption-permission-view = View consumption and meter readings
consumption-permission-submit = Enter meter readings
consumption-setting-customer-readings = Customers can enter their own meter readings in the portal
consumption-setting-jump-factor = Ask for confirmation when the use since the last reading is more than this many times the usual use (2 to 100)

## Services
consumption-kind-heating = Heating
consumption-kind-cooling = Cooling
consumption-kind-tap_water = Hot tap water
consumption-kind-water = Water
consumption-kind-electricity = Electricity
consumption-kind-gas = Gas
consumption-kind-other = Other

## Overview
consumption-lead = Your consumption per service in { $year } so far, compared with the same period in { $last }.
consumption-this-year = This year so far ({ $year })
consumption-same-period = Same period last year ({ $year })
consumption-change = Change
consumption-more = more
consumption-less = less
consumption-estimate = Estimated annual consumption
consumption-estimate-to-date = Expected up to today: { $value }
consumption-by-month = Consumption by month
consumption-none = No meters are known for your locations yet.
consumption-card-title = Your consumption
consumption-card-text = Your consumption this year per service, compared with last year.

## Detail and comparison
consumption-back = Back to the consumption overview
consumption-views = Views
consumption-detail = Over time
consumption-compare = Compare
consumption-by-year = Consumption by year
consumption-by-day = Consumption by day
consumption-group = Show
consumption-group-year = By year
consumption-group-month = By month
consumption-group-day = By day
consumption-from = From
consumption-to = To
consumption-compare-by = Compare
consumption-period-a = First period
consumption-period-b = Second period
consumption-period-help = A year, such as 2026, or a month, such as 2026-03.
consumption-locations = Locations
consumption-locations-help = Choose one or more locations. If you choose none, all your locations count.
consumption-channel = Channel
consumption-all-channels = All channels
consumption-show = Show
consumption-chart-description = Bars per period: the consumption in that period. The table beside the chart has the same numbers.
consumption-compare-description = Bars side by side for the two periods compared: the consumption per month or per day. The table beside the chart has the same numbers.
consumption-chart-caption = The table beside this chart shows the same numbers.
consumption-table = { $title }, as a table
consumption-period = Period
consumption-total = Total
consumption-export = Download as CSV
consumption-csv-file = consumption
consumption-empty = No consumption is known for this period.
consumption-error-date = Enter a valid date.
consumption-error-order = The end date was before the start date; the two dates have been swapped.
consumption-error-days = By day shows at most 400 days; the period has been shortened.

## Meter readings
consumption-readings = Meter readings
consumption-readings-none = There are no readings of this meter yet.
consumption-meter = Meter
consumption-meter-removed = Removed
consumption-reading-at = Read on
consumption-reading-value = Meter reading
consumption-reading-value-help = The register as shown on the meter, for example 1234.567.
consumption-source = Source
consumption-source-remote = Read remotely
consumption-source-customer = Entered by you
consumption-source-estimated = Estimated
consumption-reading-new = Enter a meter reading
consumption-reading-date = Reading date
consumption-reading-send = Save reading
consumption-reading-saved = Your meter reading has been saved.
consumption-reading-confirm = I have checked the reading and it is correct
consumption-error-channel = Choose a meter.
consumption-error-future = The date cannot be in the future.
consumption-error-value = Enter the reading as a number, for example 1234.567.
consumption-error-lower = The reading is lower than the previous one ({ $previous }). Please check the reading.
consumption-warning-jump = The use since the last reading ({ $used }) is much higher than usual (about { $usual } over the same number of days). Please check the reading. If it is correct, tick the confirmation below and save it again.
consumption-location = Location
