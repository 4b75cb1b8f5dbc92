"""Dutch translations: governance (bodies, positions, meetings, work programmes, theme groups),
sign-in, invitations and the governance back office."""

NL = {
    "Governance": "Bestuur en overleg",
    "Demo data": "Demogegevens",
    "open": "open",
    "closed": "gesloten",
    # back office: election turnover and vacancies
    "Election turnover": "Wisseling na verkiezingen",
    "The positions changed since the preview; nothing was ended. Check the new preview.":
        "De posities zijn sinds het voorbeeld gewijzigd; er is niets beëindigd. Controleer het nieuwe voorbeeld.",
    "%(count)s positions ended on %(date)s. They are listed below as vacancies.":
        "%(count)s posities beëindigd op %(date)s. Ze staan hieronder als vacatures.",
    "Vacancies": "Vacatures",
    "Fill a vacancy": "Vacature vervullen",
    "This vacancy has already been filled.": "Deze vacature is al vervuld.",
    "Fill the vacancy": "De vacature vervullen",
    "%(person)s succeeds %(previous)s as %(role)s of %(body)s from %(date)s.":
        "%(person)s volgt %(previous)s op als %(role)s van %(body)s vanaf %(date)s.",
    "Decide a request to join": "Beslissen over een aanmeldverzoek",
    "Requests to join": "Aanmeldverzoeken",
    "This request was already decided.": "Over dit verzoek is al beslist.",
    "Record the decision": "Besluit vastleggen",
    "The request of %(person)s to join %(body)s: %(status)s.":
        "Het verzoek van %(person)s om deel te nemen aan %(body)s: %(status)s.",
    "Invite to create an account": "Uitnodigen om een account aan te maken",
    "People": "Personen",
    "Invitations are not available in this installation.": "Uitnodigingen zijn in deze installatie niet beschikbaar.",
    "Create the invitation": "Uitnodiging aanmaken",
    "End of term after the municipal council elections of March 2026":
        "Einde bestuursperiode na de gemeenteraadsverkiezingen van maart 2026",
    "A person acts for a municipality or for a partner organisation, not both.":
        "Een persoon treedt op namens een gemeente of namens een partnerorganisatie, niet beide.",
    "A position cannot end before it starts (%(start)s).":
        "Een positie kan niet eindigen voordat deze begint (%(start)s).",
    "The predecessor's term must end before this one starts (%(start)s).":
        "De termijn van de voorganger moet eindigen voordat deze begint (%(start)s).",
    "Last day of the term": "Laatste dag van de bestuursperiode",
    "Every current position of an administrator (mayor, alderman) ends on this day.":
        "Elke huidige positie van een bestuurder (burgemeester, wethouder) eindigt op deze dag.",
    "Reason for ending": "Reden van beëindiging",
    "Recorded with every ended position.": "Wordt vastgelegd bij elke beëindigde positie.",
    "Successor": "Opvolger",
    "Start date": "Begindatum",
    "The successor starts after %(date)s, when the seat became vacant.":
        "De opvolger begint na %(date)s, de dag waarop de zetel vacant werd.",
    "Decision": "Besluit",
    "Approve: the person joins the group": "Goedkeuren: de persoon neemt deel aan de groep",
    "Decline": "Afwijzen",
    "Member from": "Lid vanaf",
    "When approved, the position in the group starts on this day.":
        "Bij goedkeuring begint de positie in de groep op deze dag.",
    "Send the link by e-mail": "De link per e-mail versturen",
    "Otherwise the link is only shown here, once, to pass on yourself.":
        "Anders wordt de link alleen hier getoond, één keer, zodat u hem zelf kunt doorgeven.",
    # sign-in and invitations
    "Username": "Gebruikersnaam",
    "Letters, digits and @/./+/-/_ only; you sign in with it.":
        "Alleen letters, cijfers en @/./+/-/_; hiermee logt u in.",
    "Password": "Wachtwoord",
    "Password again": "Wachtwoord herhalen",
    "The same password, to rule out a typing error.": "Hetzelfde wachtwoord, om een typefout uit te sluiten.",
    "The username %(username)s is taken; choose another.":
        "De gebruikersnaam %(username)s is al in gebruik; kies een andere.",
    "The two passwords differ; type the same password twice.":
        "De twee wachtwoorden verschillen; typ twee keer hetzelfde wachtwoord.",
    "%(person)s already has an account.": "%(person)s heeft al een account.",
    "%(person)s is neither an administrator, a civil servant of a member nor someone of a partner organisation, "
    "so an account would give no access.":
        "%(person)s is geen bestuurder of ambtenaar van een lid en hoort ook niet bij een partnerorganisatie; "
        "een account zou dus geen toegang geven.",
    "Your invitation to %(site)s": "Uw uitnodiging voor %(site)s",
    "This invitation link is not valid. Check that you copied the whole link from the e-mail, or ask the network "
    "bureau for a new invitation.":
        "Deze uitnodigingslink is niet geldig. Controleer of u de hele link uit de e-mail hebt gekopieerd, of vraag "
        "het netwerkbureau om een nieuwe uitnodiging.",
    "This invitation has already been used. Sign in with the account you created, or ask the network bureau for a "
    "new invitation.":
        "Deze uitnodiging is al gebruikt. Log in met het account dat u hebt aangemaakt, of vraag het netwerkbureau "
        "om een nieuwe uitnodiging.",
    "This invitation expired on %(date)s. Ask the network bureau for a new invitation.":
        "Deze uitnodiging is op %(date)s verlopen. Vraag het netwerkbureau om een nieuwe uitnodiging.",
    "%(person)s already has an account. Sign in with it.": "%(person)s heeft al een account. Log daarmee in.",
    "Choose a username.": "Kies een gebruikersnaam.",
    "Please correct the following:": "Corrigeer het volgende:",
    "Create your account": "Maak uw account aan",
    "This invitation is for %(name)s (%(organisation)s).": "Deze uitnodiging is voor %(name)s (%(organisation)s).",
    "This invitation is for %(name)s.": "Deze uitnodiging is voor %(name)s.",
    "Choose a username and a password. The link works once, until %(expires)s.":
        "Kies een gebruikersnaam en een wachtwoord. De link werkt één keer, tot %(expires)s.",
    "Create account and sign in": "Account aanmaken en inloggen",
    "Dear %(name)s,\n\nThe network bureau invites you to %(site)s. Open this link to choose a username and a "
    "password:":
        "Beste %(name)s,\n\nHet netwerkbureau nodigt u uit voor %(site)s. Open deze link om een gebruikersnaam en "
        "een wachtwoord te kiezen:",
    "The link works once, until %(expires)s. If you did not expect this invitation, you can ignore this message.":
        "De link werkt één keer, tot %(expires)s. Als u deze uitnodiging niet verwachtte, kunt u dit bericht negeren.",
    "The network bureau": "Het netwerkbureau",
    "Invitation not valid": "Uitnodiging niet geldig",
    "Sign in": "Inloggen",
    "You are signed in as %(name)s. Signing in again replaces that.":
        "U bent ingelogd als %(name)s. Als u opnieuw inlogt, vervangt dat deze aanmelding.",
    "For administrators and civil servants of the member cities and for partners. You receive an account through "
    "an invitation from the network bureau.":
        "Voor bestuurders en ambtenaren van de aangesloten steden en voor partners. U krijgt een account via een "
        "uitnodiging van het netwerkbureau.",
    "Staff of the network bureau can also sign in to the back office.":
        "Medewerkers van het netwerkbureau kunnen ook inloggen op de beheeromgeving.",
    "Back office": "Beheeromgeving",
    "Sign out": "Uitloggen",
    "You are signed in as %(name)s.": "U bent ingelogd als %(name)s.",
    "You are not signed in.": "U bent niet ingelogd.",
    "Welcome, %(name)s. Your account is ready.": "Welkom, %(name)s. Uw account is klaar.",
    # meetings: forms and checks
    "Why do you want to join? (optional)": "Waarom wilt u deelnemen? (optioneel)",
    "Approve": "Goedkeuren",
    "Optional, e.g. “Extra meeting on the budget”.": "Optioneel, bijvoorbeeld “Extra vergadering over de begroting”.",
    "Date": "Datum",
    "Starts at": "Begintijd",
    "Ends at": "Eindtijd",
    "Place": "Locatie",
    "Address or room; leave empty for an online meeting.": "Adres of zaal; leeg laten bij een online vergadering.",
    "Online link": "Link voor online deelname",
    "A meeting ends after it starts.": "Een vergadering eindigt na het begin.",
    "Give the place, the online link, or both.": "Geef de locatie, de link voor online deelname, of beide.",
    "Presenter": "Inleider",
    "Proposal": "Voorstel",
    "What the meeting is asked to decide, if anything.":
        "Waarover de vergadering wordt gevraagd te besluiten, als dat van toepassing is.",
    "(nobody in particular)": "(niemand in het bijzonder)",
    "An agenda item needs a title.": "Een agendapunt heeft een titel nodig.",
    "Minutes": "Verslag",
    "Minutes approved on": "Verslag vastgesteld op",
    "Leave empty until the next meeting approves them.": "Leeg laten totdat de volgende vergadering het vaststelt.",
    "(nobody)": "(niemand)",
    "Substitute for %(person)s": "Vervanger van %(person)s",
    "Choose who substituted for %(person)s.": "Kies wie %(person)s heeft vervangen.",
    "%(person)s cannot substitute for themselves.": "%(person)s kan zichzelf niet vervangen.",
    "Choose “substituted” for %(person)s, or no substitute.": "Kies “vervangen” voor %(person)s, of geen vervanger.",
    "Agenda item": "Agendapunt",
    "(choose an agenda item)": "(kies een agendapunt)",
    "Choose the agenda item this decision belongs to.": "Kies het agendapunt waar dit besluit bij hoort.",
    "Write the decision.": "Vul het besluit in.",
    "File": "Bestand",
    "PDF, Word (docx), Excel (xlsx), PowerPoint (pptx) or OpenDocument text (odt); at most 20 MB.":
        "PDF, Word (docx), Excel (xlsx), PowerPoint (pptx) of OpenDocument-tekst (odt); maximaal 20 MB.",
    "(the meeting as a whole)": "(de vergadering als geheel)",
    "%(body)s was archived on %(date)s.": "%(body)s is op %(date)s gearchiveerd.",
    "%(person)s held no position in %(body)s on %(date)s.": "%(person)s had op %(date)s geen positie in %(body)s.",
    "%(person)s is listed twice.": "%(person)s staat er twee keer in.",
    "Unknown attendance: %(status)s.": "Onbekende aanwezigheid: %(status)s.",
    "Who substituted for %(person)s?": "Wie heeft %(person)s vervangen?",
    "Only someone who was substituted has a substitute: %(person)s.":
        "Alleen wie is vervangen, heeft een vervanger: %(person)s.",
    "A decision belongs to an item on its own meeting's agenda; “%(item)s” is on another meeting's agenda.":
        "Een besluit hoort bij een punt op de agenda van de eigen vergadering; “%(item)s” staat op de agenda van "
        "een andere vergadering.",
    "A decision needs its text.": "Een besluit heeft een tekst nodig.",
    "“%(name)s” is not a document we accept: use one of %(allowed)s.":
        "“%(name)s” is geen document dat we accepteren: gebruik een van %(allowed)s.",
    "“%(name)s” is %(size).1f MB; a document may be at most 20 MB.":
        "“%(name)s” is %(size).1f MB; een document mag maximaal 20 MB zijn.",
    "“%(name)s” is empty.": "“%(name)s” is leeg.",
    "“%(name)s” is not a real %(kind)s file; its content does not match its name.":
        "“%(name)s” is geen echt %(kind)s-bestand; de inhoud past niet bij de naam.",
    "This item is on another meeting's agenda.": "Dit punt staat op de agenda van een andere vergadering.",
    # models
    "Administrative": "Bestuurlijk",
    "Civil service": "Ambtelijk",
    "Board": "Bestuur",
    "Support team": "Ondersteuningsteam",
    "Pillar meeting": "Pijleroverleg",
    "Public": "Openbaar",
    "Members and partners": "Leden en partners",
    "This body only": "Alleen dit orgaan",
    "track": "spoor",
    "Empty for a pillar, which has both an administrative and a civil-service meeting.":
        "Leeg bij een pijler; die heeft zowel een bestuurlijk als een ambtelijk overleg.",
    "open to join": "open voor deelname",
    "Theme groups: open ones people join themselves; for closed ones the bureau approves requests.":
        "Themagroepen: bij open groepen nemen mensen zelf deel; bij gesloten groepen keurt het netwerkbureau "
        "verzoeken goed.",
    "order": "volgorde",
    "archived on": "gearchiveerd op",
    "Invented for demonstration; not a body of the real network.":
        "Verzonnen voor demonstratie; geen orgaan van het echte netwerk.",
    "bodies": "organen",
    "Mayor": "Burgemeester",
    "Alderman": "Wethouder",
    "e-mail": "e-mailadres",
    "function": "functie",
    "portfolio": "portefeuille",
    "expertise": "expertise",
    "account": "account",
    "demo person": "demopersoon",
    "An invented person for demonstration.": "Een verzonnen persoon voor demonstratie.",
    "person": "persoon",
    "people": "personen",
    "expires at": "verloopt op",
    "used at": "gebruikt op",
    "invitation": "uitnodiging",
    "invitations": "uitnodigingen",
    "Chair": "Voorzitter",
    "Vice-chair": "Vicevoorzitter",
    "Lead": "Trekker",
    "Secretary": "Secretaris",
    "role": "rol",
    "on behalf of": "namens",
    "reason for ending": "reden van beëindiging",
    "succeeds": "volgt op",
    "positions": "posities",
    "Pending": "In behandeling",
    "Approved": "Goedgekeurd",
    "Declined": "Afgewezen",
    "motivation": "motivatie",
    "requested at": "aangevraagd op",
    "decided at": "besloten op",
    "request to join": "aanmeldverzoek",
    "requests to join": "aanmeldverzoeken",
    "starts at": "begin",
    "ends at": "einde",
    "place": "locatie",
    "online link": "link voor online deelname",
    "minutes": "verslag",
    "minutes approved on": "verslag vastgesteld op",
    "cancelled": "geannuleerd",
    "meeting": "vergadering",
    "meetings": "vergaderingen",
    "presenter": "inleider",
    "proposal": "voorstel",
    "agenda item": "agendapunt",
    "agenda items": "agendapunten",
    "meeting document": "vergaderstuk",
    "meeting documents": "vergaderstukken",
    "Present": "Aanwezig",
    "Absent with notice": "Afwezig met bericht",
    "Substituted": "Vervangen",
    "attendance": "aanwezigheid",
    "substitute": "vervanger",
    "decision": "besluit",
    "decisions": "besluiten",
    "Planned": "Gepland",
    "Ongoing": "Lopend",
    "Done": "Afgerond",
    "Dropped": "Vervallen",
    "public": "openbaar",
    "work programme": "werkprogramma",
    "work programmes": "werkprogramma's",
    "goal": "doel",
    "goals": "doelen",
    "owning theme group": "verantwoordelijke themagroep",
    "action": "actie",
    "actions": "acties",
    "progress": "voortgang",
    "status after": "status daarna",
    "progress update": "voortgangsbericht",
    "progress updates": "voortgangsberichten",
    "strategic agenda": "strategische agenda",
    "strategic agendas": "strategische agenda's",
    "key message": "kernboodschap",
    "key messages": "kernboodschappen",
    # work programmes
    "%(body)s is not a pillar; work programmes belong to a pillar.":
        "%(body)s is geen pijler; werkprogramma's horen bij een pijler.",
    "The period ends (%(end)s) before it starts (%(start)s).":
        "De periode eindigt (%(end)s) voordat deze begint (%(start)s).",
    "%(body)s is not a theme group; an action is owned by a theme group of %(pillar)s.":
        "%(body)s is geen themagroep; een actie valt onder een themagroep van %(pillar)s.",
    "no pillar": "geen pijler",
    "%(body)s belongs to %(other)s, not to %(pillar)s; an action is owned by a theme group of its programme's "
    "pillar.":
        "%(body)s hoort bij %(other)s, niet bij %(pillar)s; een actie valt onder een themagroep van de pijler van "
        "het werkprogramma.",
    "Goal %(number)s belongs to another work programme than %(programme)s.":
        "Doel %(number)s hoort bij een ander werkprogramma dan %(programme)s.",
    "%(body)s is a pillar of another network.": "%(body)s is een pijler van een ander netwerk.",
    # positions and theme groups
    "%(body)s is a pillar; positions are held in its administrative or civil-service meeting or in a theme group.":
        "%(body)s is een pijler; posities horen bij het bestuurlijk of ambtelijk overleg van de pijler of bij een "
        "themagroep.",
    "%(body)s is an administrative body: it seats administrators (mayors and aldermen); %(person)s is a "
    "%(function)s.":
        "%(body)s is een bestuurlijk orgaan: daarin zitten bestuurders (burgemeesters en wethouders); %(person)s "
        "heeft de functie %(function)s.",
    "%(body)s is a civil-service body: it seats civil servants; %(person)s is a %(function)s.":
        "%(body)s is een ambtelijk orgaan: daarin zitten ambtenaren; %(person)s heeft de functie %(function)s.",
    "%(person)s already holds a position in %(body)s then.":
        "%(person)s heeft in die periode al een positie in %(body)s.",
    "%(body)s already has a %(role)s on %(date)s: %(person)s.":
        "%(body)s heeft op %(date)s al iemand in de rol %(role)s: %(person)s.",
    "End of term after the municipal council elections": "Einde bestuursperiode na de gemeenteraadsverkiezingen",
    "This position is not vacant: %(position)s.": "Deze positie is niet vacant: %(position)s.",
    "Only theme groups can be joined by oneself; %(body)s is not one.":
        "Alleen aan themagroepen kunt u zelf deelnemen; %(body)s is geen themagroep.",
    "%(body)s is closed: ask to join, and the bureau decides.":
        "%(body)s is gesloten: vraag deelname aan, het netwerkbureau beslist.",
    "%(person)s is not in %(body)s.": "%(person)s zit niet in %(body)s.",
    "Left the group": "Groep verlaten",
    "%(person)s is already in %(body)s.": "%(person)s zit al in %(body)s.",
    "A request to join %(body)s is already waiting for the bureau.":
        "Er ligt al een verzoek om deel te nemen aan %(body)s bij het netwerkbureau.",
    # back office templates
    "%(body)s cannot be deleted: the history refers to it.":
        "%(body)s kan niet worden verwijderd: de geschiedenis verwijst ernaar.",
    "Archive the body instead: edit it and fill in the date it was archived on.":
        "Archiveer het orgaan in plaats daarvan: bewerk het en vul de datum van archivering in.",
    "Edit the body": "Orgaan bewerken",
    "The invitation was sent to %(email)s.": "De uitnodiging is verzonden naar %(email)s.",
    "Invitation link (shown only now; valid until %(until)s)":
        "Uitnodigingslink (alleen nu zichtbaar; geldig tot %(until)s)",
    "The invitation was created, but the page to accept it is not available yet, so no link could be made.":
        "De uitnodiging is aangemaakt, maar de pagina om haar te accepteren is nog niet beschikbaar; er kon dus "
        "geen link worden gemaakt.",
    "Creates a one-time link with which the person creates their own account. An earlier unused invitation stops "
    "working.":
        "Maakt een eenmalige link waarmee de persoon zelf een account aanmaakt. Een eerdere, ongebruikte "
        "uitnodiging werkt dan niet meer.",
    "After the municipal council elections most administrators leave. This ends, on one day, every current "
    "position of an administrator (mayor or alderman) in the network's bodies. The positions stay in the history "
    "with their end date and the reason; civil servants' positions are not touched. The seats left open are then "
    "listed as vacancies.":
        "Na de gemeenteraadsverkiezingen vertrekken de meeste bestuurders. Hiermee eindigen op één dag alle "
        "huidige posities van bestuurders (burgemeester of wethouder) in de organen van het netwerk. De posities "
        "blijven in de geschiedenis staan met hun einddatum en de reden; posities van ambtenaren blijven "
        "ongemoeid. De vrijgekomen zetels worden daarna als vacatures getoond.",
    "Show what will end": "Bekijken wat er eindigt",
    "Nothing has changed yet. Check the list, then confirm below.":
        "Er is nog niets gewijzigd. Controleer de lijst en bevestig daarna hieronder.",
    "Role": "Rol",
    "Since": "Sinds",
    "Reason recorded with each position: “%(reason)s”.": "Reden die bij elke positie wordt vastgelegd: “%(reason)s”.",
    "No administrator holds a position that day; there is nothing to end.":
        "Op die dag heeft geen enkele bestuurder een positie; er is niets te beëindigen.",
    "Administrative seats whose holder's term has ended and that nobody has taken over yet: per pillar, with its "
    "administrative meeting and theme groups; the boards outside the pillars first. Filling a seat gives the "
    "successor a new position that succeeds the old one; the old one stays in the history.":
        "Bestuurlijke zetels waarvan de termijn van de bekleder is afgelopen en die nog niemand heeft overgenomen: "
        "per pijler, met het bestuurlijk overleg en de themagroepen; eerst de besturen buiten de pijlers. Bij het "
        "vervullen van een zetel krijgt de opvolger een nieuwe positie die de oude opvolgt; de oude blijft in de "
        "geschiedenis staan.",
    "Boards and bodies outside the pillars": "Besturen en organen buiten de pijlers",
    "Vacancies in %(pillar)s": "Vacatures in %(pillar)s",
    "Vacancies in the boards and bodies outside the pillars": "Vacatures in de besturen en organen buiten de pijlers",
    "Body": "Orgaan",
    "Previous holder": "Vorige bekleder",
    "Ended on": "Geëindigd op",
    "Reason": "Reden",
    "Action": "Actie",
    "Fill": "Vervullen",
    "There are no vacancies.": "Er zijn geen vacatures.",
    # theme groups
    "Leave": "Verlaten",
    "Your membership ends today.": "Uw deelname eindigt vandaag.",
    "Your request is waiting for the network bureau.": "Uw verzoek ligt bij het netwerkbureau.",
    "Join": "Deelnemen",
    "Ask to join": "Deelname aanvragen",
    "Kind": "Soort",
    "Track": "Spoor",
    "Joining": "Deelname",
    "open: join yourself": "open: u neemt zelf deel",
    "closed: ask, the network bureau decides": "gesloten: u vraagt deelname aan, het netwerkbureau beslist",
    "Archived on": "Gearchiveerd op",
    "Name": "Naam",
    "On behalf of": "Namens",
    "Nobody holds a position here now.": "Op dit moment heeft niemand hier een positie.",
    "Chairs": "Voorzitters",
    "succeeded %(name)s": "opvolger van %(name)s",
    "All positions, past and present": "Alle posities, vroeger en nu",
    "From": "Van",
    "To": "Tot",
    "Succeeds": "Volgt op",
    "No positions recorded.": "Geen posities vastgelegd.",
    "Upcoming meetings": "Komende vergaderingen",
    "No meetings planned.": "Geen vergaderingen gepland.",
    "Meetings as a calendar (iCal)": "Vergaderingen als kalender (iCal)",
    "Plan a meeting": "Vergadering plannen",
    "Documents": "Documenten",
    "item %(number)s: %(title)s": "punt %(number)s: %(title)s",
    "No documents you may see.": "Geen documenten die u mag zien.",
    "Work-programme actions": "Acties uit het werkprogramma",
    "This group owns no actions yet.": "Deze groep heeft nog geen acties.",
    "All meetings of your bodies in your own calendar (keep this address to yourself):":
        "Alle vergaderingen van uw organen in uw eigen kalender (houd dit adres voor uzelf):",
    "my meetings (iCal)": "mijn vergaderingen (iCal)",
    "Digest by e-mail: none, daily or weekly": "Samenvatting per e-mail: geen, dagelijks of wekelijks",
    "Requests to join closed theme groups": "Aanmeldverzoeken voor gesloten themagroepen",
    "Your account is not linked to a person of the network, so you hold no positions and cannot join theme "
    "groups. Ask the network bureau to link your account.":
        "Uw account is niet gekoppeld aan een persoon in het netwerk. U hebt dus geen posities en kunt niet "
        "deelnemen aan themagroepen. Vraag het netwerkbureau om uw account te koppelen.",
    "My positions": "Mijn posities",
    "Until": "Tot",
    "You hold no positions now.": "U hebt op dit moment geen posities.",
    "Waiting for the network bureau": "Wacht op het netwerkbureau",
    "asked on %(date)s": "aangevraagd op %(date)s",
    "No requests are waiting.": "Er wachten geen verzoeken.",
    "Theme groups": "Themagroepen",
    "Administrative theme groups, for mayors and aldermen. Join an open group yourself; for a closed group, ask "
    "and the network bureau decides.":
        "Bestuurlijke themagroepen, voor burgemeesters en wethouders. Aan een open groep neemt u zelf deel; voor "
        "een gesloten groep vraagt u deelname aan en beslist het netwerkbureau.",
    "Civil-service theme groups, for civil servants. Join an open group yourself; for a closed group, ask and the "
    "network bureau decides.":
        "Ambtelijke themagroepen, voor ambtenaren. Aan een open groep neemt u zelf deel; voor een gesloten groep "
        "vraagt u deelname aan en beslist het netwerkbureau.",
    "Without a pillar": "Zonder pijler",
    "There are no theme groups of your kind yet.": "Er zijn nog geen themagroepen van uw soort.",
    "Theme groups are for administrators and civil servants of the member cities; as a partner you have none to "
    "join.":
        "Themagroepen zijn voor bestuurders en ambtenaren van de aangesloten steden; als partner kunt u aan geen "
        "enkele themagroep deelnemen.",
    "Theme groups are for administrators and civil servants of the member cities; your account cannot join them.":
        "Themagroepen zijn voor bestuurders en ambtenaren van de aangesloten steden; met uw account kunt u er niet "
        "aan deelnemen.",
    "Requests to join closed theme groups. Approving gives the person a position as member from today.":
        "Aanmeldverzoeken voor gesloten themagroepen. Bij goedkeuring krijgt de persoon vanaf vandaag een positie "
        "als lid.",
    "Motivation": "Motivatie",
    "Approve: %(person)s joins %(body)s": "Goedkeuren: deelname van %(person)s aan %(body)s",
    "Decline: %(person)s joins %(body)s": "Afwijzen: deelname van %(person)s aan %(body)s",
    "You joined %(body)s.": "U neemt nu deel aan %(body)s.",
    "You left %(body)s.": "U hebt %(body)s verlaten.",
    "Your request to join %(body)s is waiting for the network bureau.":
        "Uw verzoek om deel te nemen aan %(body)s ligt bij het netwerkbureau.",
    "Choose approve or decline.": "Kies goedkeuren of afwijzen.",
    "%(person)s is now a member of %(body)s.": "%(person)s is nu lid van %(body)s.",
    "The request of %(person)s to join %(body)s was declined.":
        "Het verzoek van %(person)s om deel te nemen aan %(body)s is afgewezen.",
    # meetings: pages
    "Row %(number)s, %(label)s": "Rij %(number)s, %(label)s",
    "This meeting is cancelled.": "Deze vergadering is geannuleerd.",
    "Time": "Tijd",
    "Online": "Online",
    "Join the meeting online": "Online deelnemen aan de vergadering",
    "Calendar": "Kalender",
    "All meetings of %(name)s (iCal)": "Alle vergaderingen van %(name)s (iCal)",
    "All meetings of my bodies (iCal)": "Alle vergaderingen van mijn organen (iCal)",
    "Record attendance, minutes, decisions and documents": "Aanwezigheid, verslag, besluiten en documenten vastleggen",
    "Agenda": "Agenda",
    "Documents for item %(number)s": "Documenten bij punt %(number)s",
    "Decided": "Besloten",
    "The agenda is not known yet.": "De agenda is nog niet bekend.",
    "Attendance": "Aanwezigheid",
    "Substituted by": "Vervangen door",
    "Attendance is not recorded yet.": "De aanwezigheid is nog niet vastgelegd.",
    "Approved on %(date)s.": "Vastgesteld op %(date)s.",
    "Draft: not approved yet.": "Concept: nog niet vastgesteld.",
    "The minutes are not available yet.": "Het verslag is nog niet beschikbaar.",
    "Decisions": "Besluiten",
    "No decisions recorded.": "Geen besluiten vastgelegd.",
    "New meeting of %(name)s": "Nieuwe vergadering van %(name)s",
    "New meeting": "Nieuwe vergadering",
    "The meeting": "De vergadering",
    "Items are numbered in this order. Empty rows are skipped.":
        "De punten worden in deze volgorde genummerd. Lege rijen worden overgeslagen.",
    "Agenda item %(number)s": "Agendapunt %(number)s",
    "Save the meeting": "Vergadering opslaan",
    "More agenda rows": "Meer rijen voor agendapunten",
    "Record": "Vastleggen",
    "This meeting has no agenda items, so it cannot have decisions.":
        "Deze vergadering heeft geen agendapunten en kan dus geen besluiten hebben.",
    "Everyone who held a position in this body on %(date)s.": "Iedereen die op %(date)s een positie had in dit orgaan.",
    "Nobody held a position in this body on the meeting date.":
        "Op de vergaderdatum had niemand een positie in dit orgaan.",
    "Decisions are numbered 1, 2, 3… in this order (%(prefix)s/1, %(prefix)s/2, …). Empty rows are skipped; empty "
    "a row to remove its decision.":
        "Besluiten worden in deze volgorde genummerd 1, 2, 3… (%(prefix)s/1, %(prefix)s/2, …). Lege rijen worden "
        "overgeslagen; maak een rij leeg om het besluit te verwijderen.",
    "Decision row %(number)s": "Besluitrij %(number)s",
    "Save attendance, minutes and decisions": "Aanwezigheid, verslag en besluiten opslaan",
    "More decision rows": "Meer rijen voor besluiten",
    "Add a document": "Document toevoegen",
    "Upload": "Uploaden",
    "The meeting is planned.": "De vergadering is gepland.",
    "The meeting's record is saved.": "De vastlegging van de vergadering is opgeslagen.",
    "The document is added.": "Het document is toegevoegd.",
    "Meetings of %(name)s": "Vergaderingen van %(name)s",
    # public pages: pillars, work programmes, strategic agenda
    "Invented for demonstration; not real data": "Verzonnen voor demonstratie; geen echte gegevens",
    "Period": "Periode",
    "not public": "niet openbaar",
    "Goals": "Doelen",
    "The actions of this public work programme that are for members only.":
        "De acties van dit openbare werkprogramma die alleen voor leden zijn.",
    "Actions": "Acties",
    "Goal": "Doel",
    "Status": "Status",
    "Latest progress": "Laatste voortgang",
    "No progress reported yet.": "Nog geen voortgang gemeld.",
    "No actions yet.": "Nog geen acties.",
    "Pillars": "Pijlers",
    "Meeting or theme group": "Overleg of themagroep",
    "No chairs recorded at the moment.": "Op dit moment zijn er geen voorzitters vastgelegd.",
    "Open: join yourself": "Open: u neemt zelf deel",
    "Closed: ask to join": "Gesloten: deelname aanvragen",
    "This pillar has no theme groups yet.": "Deze pijler heeft nog geen themagroepen.",
    "Work programme": "Werkprogramma",
    "There is no current public work programme.": "Er is geen actueel openbaar werkprogramma.",
    "Key messages": "Kernboodschappen",
    "From the strategic agenda": "Uit de strategische agenda",
    "The current strategic agenda has no key messages for this pillar.":
        "De huidige strategische agenda heeft geen kernboodschappen voor deze pijler.",
    "Strategic agenda": "Strategische agenda",
    "Members only": "Alleen voor leden",
    "You see this because you are signed in as a member of the network or the bureau; visitors and partners do "
    "not.":
        "U ziet dit omdat u bent ingelogd als lid van het netwerk of van het netwerkbureau; bezoekers en partners "
        "zien dit niet.",
    "There are no members-only work programmes or actions at the moment.":
        "Er zijn op dit moment geen werkprogramma's of acties die alleen voor leden zijn.",
    "The work of %(name)s is organised in pillars. Each has an administrative and a civil-service meeting, theme "
    "groups and a work programme.":
        "Het werk van %(name)s is georganiseerd in pijlers. Elke pijler heeft een bestuurlijk en een ambtelijk "
        "overleg, themagroepen en een werkprogramma.",
    "No pillars yet.": "Nog geen pijlers.",
    "The strategic agenda and its key messages": "De strategische agenda en de kernboodschappen",
    "not recorded": "niet vastgelegd",
    "The network as a whole": "Het netwerk als geheel",
    "This agenda has no key messages yet.": "Deze agenda heeft nog geen kernboodschappen.",
    "There is no current public strategic agenda.": "Er is geen actuele openbare strategische agenda.",
    "The pillars": "De pijlers",
    # back office: menus, listings, history
    "Yes": "Ja",
    "No": "Nee",
    "%(body)s cannot be deleted; archive it instead.":
        "%(body)s kan niet worden verwijderd; archiveer het in plaats daarvan.",
    "Archived": "Gearchiveerd",
    "Bodies": "Organen",
    "Open to join": "Open voor deelname",
    'A body that is no longer used is archived (fill in "archived on"), not deleted: its positions and meetings '
    "stay in the history.":
        'Een orgaan dat niet meer wordt gebruikt, wordt gearchiveerd (vul "gearchiveerd op" in), niet verwijderd: '
        "de posities en vergaderingen blijven in de geschiedenis staan.",
    "Invite": "Uitnodigen",
    "Municipality or partner": "Gemeente of partner",
    "Account": "Account",
    "The position is checked before it is saved: administrators (mayors, aldermen) sit in administrative bodies, "
    "civil servants in civil-service bodies; one position per person and body at a time; one chair and one "
    "vice-chair at a time.":
        "De positie wordt gecontroleerd voordat deze wordt opgeslagen: bestuurders (burgemeesters, wethouders) "
        "zitten in bestuurlijke organen, ambtenaren in ambtelijke organen; één positie per persoon en orgaan "
        "tegelijk; één voorzitter en één vicevoorzitter tegelijk.",
    "Person, body, role and start stay as they were: to give the seat to someone else, end this position and fill "
    "the vacancy.":
        "Persoon, orgaan, rol en begindatum blijven zoals ze waren: om de zetel aan iemand anders te geven, "
        "beëindigt u deze positie en vervult u de vacature.",
    "All": "Alle",
    "Current": "Huidig",
    "Ended": "Beëindigd",
    "Not yet started": "Nog niet begonnen",
    "Positions": "Posities",
    "Decide": "Beslissen",
    "Meetings": "Vergaderingen",
    "Cancelled": "Geannuleerd",
    "Meeting page": "Vergaderpagina",
    "Work programmes": "Werkprogramma's",
    "Term ended": "Termijn beëindigd",
    "Invitation created": "Uitnodiging aangemaakt",
}

NL_PLURAL = {
    "Preview: %(counter)s position ends on %(date)s": (
        "Voorbeeld: %(counter)s positie eindigt op %(date)s",
        "Voorbeeld: %(counter)s posities eindigen op %(date)s",
    ),
    "End %(counter)s position on %(date)s": (
        "%(counter)s positie beëindigen op %(date)s",
        "%(counter)s posities beëindigen op %(date)s",
    ),
    "%(counter)s vacancy": ("%(counter)s vacature", "%(counter)s vacatures"),
    "%(counter)s request waiting": ("%(counter)s verzoek wacht", "%(counter)s verzoeken wachten"),
}
