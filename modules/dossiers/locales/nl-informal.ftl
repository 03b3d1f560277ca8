dossiers-none = Je hebt nog geen dossier.
dossiers-closed = Dit dossier is gesloten. Je kunt het nog inzien.
dossiers-adviser = Jouw adviseur
dossiers-handler = Jouw dossierbehandelaar
dossiers-files-help = PDF of foto (JPG, PNG); je kunt meerdere bestanden tegelijk kiezen. We maken er één PDF van. Maak je burgerservicenummer (BSN) op een kopie van je identiteitsbewijs onleesbaar.
