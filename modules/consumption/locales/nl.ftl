consumption-nav = Verbruik
consumption-title = Verbruik
consumption-permission-view = Verbruik en meterstanden inzien
consumption-permission-submit = Meterstanden doorgeven
consumption-setting-customer-readings = Klanten kunnen in het portaal zelf meterstanden doorgeven
consumption-setting-jump-factor = Om bevestiging vragen wanneer het verbruik sinds de vorige meterstand meer dan zoveel keer het gebruikelijke verbruik is (2 tot 100)

## Diensten
consumption-kind-heating = Warmte
consumption-kind-cooling = Koeling
consumption-kind-tap_water = Warm tapwater
consumption-kind-water = Water
consumption-kind-electricity = Elektriciteit
consumption-kind-gas = Gas
consumption-kind-other = Overig

## Overzicht
consumption-lead = Uw verbruik per dienst in { $year } tot nu toe, vergeleken met dezelfde periode in { $last }.
consumption-this-year = Dit jaar tot nu toe ({ $year })
consumption-same-period = Dezelfde periode vorig jaar ({ $year })
consumption-change = Verschil
consumption-more = meer
consumption-less = minder
consumption-estimate = Geschat jaarverbruik
consumption-estimate-to-date = Verwacht tot en met vandaag: { $value }
consumption-by-month = Verbruik per maand
consumption-none = Voor uw locaties zijn nog geen meters bekend.
consumption-card-title = Uw verbruik
consumption-card-text = Uw verbruik van dit jaar per dienst, vergeleken met vorig jaar.

## Verloop en vergelijking
consumption-back = Terug naar het verbruiksoverzicht
consumption-views = Weergaven
consumption-detail = Verloop
consumption-compare = Vergelijken
consumption-by-year = Verbruik per jaar
consumption-by-day = Verbruik per dag
consumption-group = Weergave
consumption-group-year = Per jaar
consumption-group-month = Per maand
consumption-group-day = Per dag
consumption-from = Van
consumption-to = Tot en met
consumption-compare-by = Vergelijken
consumption-period-a = Eerste periode
consumption-period-b = Tweede periode
consumption-period-help = Een jaar, zoals 2026, of een maand, zoals 2026-03.
consumption-locations = Locaties
consumption-locations-help = Kies een of meer locaties. Kiest u er geen, dan tellen al uw locaties mee.
consumption-channel = Kanaal
consumption-all-channels = Alle kanalen
consumption-show = Tonen
consumption-chart-description = Staven per periode: het verbruik in die periode. De tabel naast de grafiek geeft dezelfde cijfers.
consumption-compare-description = Staven naast elkaar voor de twee vergeleken perioden: het verbruik per maand of per dag. De tabel naast de grafiek geeft dezelfde cijfers.
consumption-chart-caption = De tabel naast deze grafiek geeft dezelfde cijfers.
consumption-table = { $title }, als tabel
consumption-period = Periode
consumption-total = Totaal
consumption-export = Downloaden als CSV
consumption-csv-file = verbruik
consumption-empty = Voor deze periode is geen verbruik bekend.
consumption-error-date = Vul een geldige datum in.
consumption-error-order = De einddatum lag voor de begindatum; de twee datums zijn omgewisseld.
consumption-error-days = Per dag tonen we hoogstens 400 dagen; de periode is ingekort.

## Meterstanden
consumption-readings = Meterstanden
consumption-readings-none = Er zijn nog geen meterstanden van deze meter.
consumption-meter = Meter
consumption-meter-removed = Verwijderd
consumption-reading-at = Afgelezen op
consumption-reading-value = Meterstand
consumption-reading-value-help = De stand van het telwerk zoals die op de meter staat, bijvoorbeeld 1234,567.
consumption-source = Bron
consumption-source-remote = Op afstand uitgelezen
consumption-source-customer = Door u doorgegeven
consumption-source-estimated = Geschat
consumption-reading-new = Meterstand doorgeven
consumption-reading-date = Afleesdatum
consumption-reading-send = Meterstand opslaan
consumption-reading-saved = Uw meterstand is opgeslagen.
consumption-reading-confirm = Ik heb de meterstand gecontroleerd en hij klopt
consumption-error-channel = Kies een meter.
consumption-error-future = De datum mag niet in de toekomst liggen.
consumption-error-value = Vul de meterstand in als getal, bijvoorbeeld 1234,567.
consumption-error-lower = De meterstand is lager dan de vorige ({ $previous }). Controleer de meterstand.
consumption-warning-jump = Het verbruik sinds de vorige meterstand ({ $used }) is veel hoger dan gebruikelijk (ongeveer { $usual } in hetzelfde aantal dagen). Controleer de meterstand. Klopt hij, vink dan hieronder de bevestiging aan en sla hem opnieuw op.
consumption-location = Locatie
