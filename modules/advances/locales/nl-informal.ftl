advances-lead = Hier zie je per contract je voorschotbedrag. Je kunt het aanpassen binnen het bereik dat wij hanteren.
advances-lead-admin = Hier zie je per contract het voorschotbedrag. Alleen een beheerder kan het aanpassen.
advances-lead-off = Hier zie je per contract het voorschotbedrag. Wil je het wijzigen? Neem dan contact op met onze klantenservice.
advances-saved = Je nieuwe voorschotbedrag is opgeslagen.
