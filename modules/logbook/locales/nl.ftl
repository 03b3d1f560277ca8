logbook-nav = Logboek
logbook-permission-view = Logboek inzien (per locatie)

## Een locatie kiezen
logbook-choose-title = Kies een locatie
logbook-choose-lead = Kies de locatie waarvan u het logboek wilt zien. Wij onthouden uw keuze.
logbook-chosen = Laatst gekozen
logbook-no-locations = Er zijn geen locaties met een logboek voor uw account. Denkt u dat dit niet klopt? Neem dan contact met ons op.

## De kop en tabbladen van een locatie
logbook-read-only = Alleen lezen
logbook-other-location = Andere locatie kiezen
logbook-parts = Onderdelen van het logboek
logbook-tab-dashboard = Overzicht
logbook-tab-checkpoints = Controlepunten
logbook-tab-visits = Bezoeken
logbook-tab-recommendations = Aanbevelingen
logbook-tab-messages = Berichten
logbook-tab-documents = Documenten

## Woorden die op meer pagina's staan
logbook-location = Locatie
logbook-address = Adres
logbook-customer = Klant
logbook-all = Alle
logbook-filter = Filteren
logbook-from = Van
logbook-to = Tot en met
logbook-when = Wanneer
logbook-none = Geen

## Overzicht (dashboard)
logbook-unread = { $count ->
    [one] U heeft 1 nieuw bericht.
   *[other] U heeft { $count } nieuwe berichten.
}
logbook-recommendations-by-status = Aanbevelingen per status
logbook-visits-year = Bezoeken in de afgelopen 12 maanden
logbook-latest-visit = Laatste bezoekrapport: { $date }
logbook-next-visit = Volgend gepland bezoek
logbook-next-none = Er is nog geen bezoek gepland.
logbook-chart-title = Activiteit per soort controlepunt per maand
logbook-chart-table = Activiteit per soort controlepunt per maand, als tabel
logbook-chart-description = Staven per maand voor elke soort controlepunt: het aantal waarnemingen met activiteit. De tabel naast de grafiek geeft dezelfde aantallen.
logbook-chart-caption = De tabel naast deze grafiek geeft dezelfde aantallen.
logbook-activity-none = In de afgelopen 12 maanden is bij de controlepunten geen activiteit waargenomen.
logbook-month = Maand

## Controlepunten
logbook-checkpoint = Controlepunt
logbook-checkpoint-kind = Soort
logbook-room = Ruimte
logbook-measure = Meetwijze
logbook-measure-percent = Percentage lokaas opgenomen
logbook-measure-count = Aantal gevangen
logbook-state = Status
logbook-active = Actief
logbook-removed = Verwijderd
logbook-show-removed = Ook verwijderde controlepunten tonen
logbook-hide-removed = Verwijderde controlepunten verbergen
logbook-checkpoints-none = Deze locatie heeft geen controlepunten.

## Bezoeken en bezoekrapporten
logbook-date = Datum
logbook-kind = Soort bezoek
logbook-kind-routine = Routinebezoek
logbook-kind-extra = Extra bezoek
logbook-kind-follow_up = Nacontrole
logbook-technician = Technicus
logbook-findings = Bevindingen
logbook-report = Rapport
logbook-visits-none = Geen bezoeken gevonden.
logbook-error-date = Vul een datum in, bijvoorbeeld 31-12-2025.
logbook-visit-title = Bezoekrapport van { $date }
logbook-pdf-view = Bezoekrapport van { $date } bekijken (PDF)
logbook-pdf-open = Openen als PDF
logbook-pdf-download = PDF downloaden
logbook-remarks = Opmerkingen van de technicus
logbook-observations = Waarnemingen per controlepunt
logbook-value = Waarde
logbook-activity = Activiteit
logbook-note = Opmerking
logbook-observations-none = Bij dit bezoek zijn geen waarnemingen vastgelegd.
logbook-materials = Gebruikte middelen en materialen
logbook-material = Middel of materiaal
logbook-amount = Hoeveelheid
logbook-unit = Eenheid
logbook-registration = Toelatingsnummer

## Het bezoekrapport als PDF
logbook-pdf-file = bezoekrapport
logbook-pdf-title = Bezoekrapport
logbook-pdf-customer = Klant
logbook-pdf-location = Locatie
logbook-pdf-date = Datum
logbook-pdf-technician = Technicus
logbook-pdf-kind = Soort bezoek
logbook-pdf-findings = Bevindingen
logbook-pdf-remarks = Opmerkingen van de technicus
logbook-pdf-observations = Waarnemingen per controlepunt
logbook-pdf-checkpoint = Controlepunt
logbook-pdf-checkpoint-kind = Soort
logbook-pdf-room = Ruimte
logbook-pdf-value = Waarde
logbook-pdf-note = Opmerking
logbook-pdf-materials = Gebruikte middelen en materialen
logbook-pdf-material = Middel of materiaal
logbook-pdf-amount = Hoeveelheid
logbook-pdf-unit = Eenheid
logbook-pdf-registration = Toelatingsnummer
logbook-pdf-none = Geen
logbook-pdf-page = Pagina

## Aanbevelingen
logbook-recommendation = Aanbeveling
logbook-status = Status
logbook-status-new = Nieuw
logbook-status-in_progress = In behandeling
logbook-status-done = Uitgevoerd
logbook-status-verified = Gecontroleerd door technicus
logbook-category = Categorie
logbook-category-hygiene = Hygiëne
logbook-category-construction = Bouwkundig
logbook-category-storage = Opslag
logbook-category-other = Overig
logbook-created = Aangemaakt
logbook-updated = Laatst gewijzigd
logbook-response = Reactie
logbook-whole-location = Hele locatie
logbook-export = Exporteren (CSV)
logbook-recommendations-none = Geen aanbevelingen gevonden.
logbook-back-recommendations = Terug naar de aanbevelingen
logbook-saved = Uw wijziging is opgeslagen.
logbook-respond = Status wijzigen of reageren
logbook-save = Opslaan
logbook-verified-note = De technicus heeft deze aanbeveling gecontroleerd. Daarom kan deze niet meer worden gewijzigd.
logbook-history = Geschiedenis
logbook-change = Wijziging
logbook-by = Door
logbook-change-created = Aangemaakt
logbook-change-status = Status gewijzigd
logbook-change-response = Reactie gegeven
logbook-change-text = Tekst gewijzigd
logbook-actor-customer = Klant
logbook-actor-staff = Klantenservice
logbook-actor-back_office = Backoffice
logbook-csv-file = aanbevelingen
logbook-csv-id = Nummer
logbook-error-markup = De tekens < en > zijn niet toegestaan. Uw tekst is bewaard, zodat u deze kunt aanpassen.
logbook-error-required = Vul dit veld in.
logbook-error-too-long = Deze tekst is te lang: hoogstens { $max } tekens.
logbook-error-too-long-plain = Deze tekst is te lang.
logbook-error-status = Kies een van de statussen uit de lijst.
logbook-error-nothing = Wijzig de status of schrijf een reactie.

## Berichten
logbook-message-sent = Uw bericht is verstuurd.
logbook-message-new = Nieuw bericht schrijven
logbook-message-help = Schrijf uw bericht als gewone tekst: de tekens < en > zijn niet toegestaan.
logbook-subject = Onderwerp
logbook-message-body = Bericht
logbook-message-send = Bericht versturen
logbook-you-colleague = U of een collega
logbook-new = Nieuw
logbook-messages-none = Er zijn nog geen berichten.
logbook-message-message = Bericht
logbook-message-notification = Melding
logbook-message-alarm = Alarm
logbook-message-status-open = Open
logbook-message-status-handled = Afgehandeld

## Documenten
logbook-document = Document
logbook-for = Geldt voor
logbook-valid-until = Geldig tot
logbook-added = Toegevoegd
logbook-whole-customer = Alle locaties
logbook-expired = Verlopen
logbook-documents-none = Er zijn geen documenten voor deze locatie.
logbook-document-safety_sheet = Veiligheidsinformatieblad
logbook-document-certificate = Certificaat
logbook-document-contract = Contract
logbook-document-other = Overig

## Startpagina
logbook-card-title = Openstaande aanbevelingen
logbook-card-text = Aanbevelingen van de technicus die nieuw of in behandeling zijn, op al uw locaties.
logbook-home-title = Logboek per locatie
logbook-home-none = Er zijn geen locaties met een logboek.
logbook-home-more = Alle locaties

## Medewerkerspagina's (de kant van het bestrijdingsbedrijf)
logbook-staff-permission = Berichten en reacties in het logboek afhandelen
logbook-staff-nav = Logboek
logbook-staff-title = Logboek: berichten en reacties
logbook-staff-messages = Openstaande berichten van klanten
logbook-staff-messages-none = Er zijn geen openstaande berichten.
logbook-staff-responses = Nog niet bekeken reacties op aanbevelingen
logbook-staff-responses-none = Er zijn geen nieuwe reacties.
logbook-staff-back = Terug naar de berichten en reacties van het logboek
logbook-staff-reply = Reactie aan de klant (het bericht wordt daarmee afgehandeld)
logbook-staff-send-reply = Reactie versturen
logbook-staff-mark-handled = Afhandelen zonder reactie
logbook-staff-seen = Opslaan en reactie als gezien markeren
logbook-request-message = Bericht in het logboek
logbook-request-response = Reactie op een aanbeveling
