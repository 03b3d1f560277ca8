moves-sent = We hebben je uithuizing ontvangen (verzoek { $number }). Je krijgt een bevestiging per e-mail.
moves-none = Je hebt nog geen verhuisverzoeken.
moves-out-lead = Verhuis je? Geef hier door wanneer je vertrekt. We sluiten het contract op die datum af en sturen de eindafrekening naar je nieuwe adres.
moves-readings-help = Vul per meter het meternummer en de stand in op de dag dat je vertrekt.
moves-no-locations = Er is geen locatie waarvoor je een uithuizing kunt doorgeven. Neem contact op met onze klantenservice.
moves-error-location = Kies de locatie die je verlaat.
