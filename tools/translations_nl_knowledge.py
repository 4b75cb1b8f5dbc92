"""Dutch translations: knowledge exchange (library, questions, expertise, digests, search)."""

NL = {
    "Knowledge exchange": "Kennisuitwisseling",
    # shared with other parts of the platform
    "Show": "Tonen",
    "Year": "Jaar",
    "Title": "Titel",
    "Who may see it": "Wie mag het zien",
    "Unknown visibility: %(value)s.": "Onbekende zichtbaarheid: %(value)s.",
    "Pillar": "Pijler",
    "Theme group": "Themagroep",
    "pillar": "pijler",
    "theme group": "themagroep",
    "title": "titel",
    "file": "bestand",
    "visibility": "zichtbaarheid",
    "author": "auteur",
    "%(body)s is not a pillar.": "%(body)s is geen pijler.",
    "Person": "Persoon",
    "My groups": "Mijn groepen",
    "demo": "demo",
    "Asked on": "Gevraagd op",
    "Nothing was saved. Please correct the following:": "Er is niets opgeslagen. Corrigeer het volgende:",
    "optional": "optioneel",
    "Function": "Functie",
    "Page": "Pagina",
    "Explanation": "Toelichting",
    # forms
    "Attach at most %(count)s files.": "Voeg maximaal %(count)s bestanden toe.",
    "Summary": "Samenvatting",
    "Text": "Tekst",
    "You may use the HTML tags p, br, strong, em, ul, ol, li, a, h2, h3 and blockquote; everything else is removed.":
        "U kunt de HTML-tags p, br, strong, em, ul, ol, li, a, h2, h3 en blockquote gebruiken; al het andere wordt "
        "verwijderd.",
    "Files": "Bestanden",
    "PDF or office documents (%(types)s), at most %(size)s MB each.":
        "PDF of kantoordocumenten (%(types)s), elk maximaal %(size)s MB.",
    "Links": "Links",
    "One per line: the web address, optionally followed by a space and a title.":
        "Eén per regel: het webadres, eventueel gevolgd door een spatie en een titel.",
    "About cities": "Over steden",
    "Topics": "Onderwerpen",
    "Separate topics with commas.": "Scheid onderwerpen met komma's.",
    "Group": "Groep",
    "Only when it is for one group: a group you belong to.":
        "Alleen als het voor één groep is: een groep waar u bij hoort.",
    "Add at most %(count)s links.": "Voeg maximaal %(count)s links toe.",
    "%(url)s is not a valid web address (it starts with https://).":
        "%(url)s is geen geldig webadres (het begint met https://).",
    "Choose the group that may see it.": "Kies de groep die het mag zien.",
    "Only the theme group": "Alleen de themagroep",
    "Your question": "Uw vraag",
    "At most %(count)s characters.": "Maximaal %(count)s tekens.",
    "Ask": "Vraag stellen aan",
    "All members": "Alle leden",
    "Type your question.": "Typ uw vraag.",
    "A question only for a theme group needs that theme group.":
        "Kies voor een vraag die alleen voor een themagroep is ook die themagroep.",
    "Your answer": "Uw antwoord",
    "Type your answer.": "Typ uw antwoord.",
    "Who knows about": "Wie weet iets van",
    # models
    "topic": "onderwerp",
    "topics": "onderwerpen",
    "summary": "samenvatting",
    "text": "tekst",
    "Rich text; sanitised on save.": "Opgemaakte tekst; wordt bij het opslaan opgeschoond.",
    "about municipalities": "over gemeenten",
    "visible to group": "zichtbaar voor groep",
    "Only with the visibility 'this body only'.": "Alleen bij de zichtbaarheid 'alleen dit orgaan'.",
    "updated at": "bijgewerkt op",
    "library item": "bibliotheekitem",
    "library items": "bibliotheekitems",
    "item": "item",
    "files": "bestanden",
    "links": "links",
    "question": "vraag",
    "asked by": "gesteld door",
    "asked to theme group": "gesteld aan themagroep",
    "Empty: asked to all members.": "Leeg: gesteld aan alle leden.",
    "best answer": "beste antwoord",
    "followers": "volgers",
    "questions": "vragen",
    "answer": "antwoord",
    "answers": "antwoorden",
    "No digest": "Geen samenvatting",
    "Daily": "Dagelijks",
    "Weekly": "Wekelijks",
    "user": "gebruiker",
    "digest": "samenvatting",
    "last sent": "laatst verzonden",
    "digest subscription": "abonnement op de samenvatting",
    "digest subscriptions": "abonnementen op de samenvatting",
    "Library": "Bibliotheek",
    "Question": "Vraag",
    "Answer": "Antwoord",
    "Work-programme action": "Actie uit een werkprogramma",
    "Meeting document": "Vergaderstuk",
    "type": "soort",
    "search index entry": "regel in de zoekindex",
    "search index entries": "regels in de zoekindex",
    # services
    "%(name)s: this type of file is not accepted; allowed are %(allowed)s.":
        "%(name)s: dit soort bestand wordt niet geaccepteerd; toegestaan zijn %(allowed)s.",
    "%(name)s is %(size)s MB; the maximum is %(max)s MB.": "%(name)s is %(size)s MB; het maximum is %(max)s MB.",
    "%(name)s is empty.": "%(name)s is leeg.",
    "%(name)s is not a real %(type)s file: its content does not match its name.":
        "%(name)s is geen echt %(type)s-bestand: de inhoud past niet bij de naam.",
    "Only members and the network bureau add to the library.":
        "Alleen leden en het netwerkbureau kunnen iets aan de bibliotheek toevoegen.",
    "A title is required.": "Een titel is verplicht.",
    "You can only share with a group you belong to.": "U kunt alleen delen met een groep waar u bij hoort.",
    "%(body)s is not a theme group.": "%(body)s is geen themagroep.",
    "%(url)s is not a valid web address.": "%(url)s is geen geldig webadres.",
    "Only people of the member cities and the network bureau ask questions.":
        "Alleen mensen van de aangesloten steden en het netwerkbureau kunnen vragen stellen.",
    "You can only ask a theme group you belong to.":
        "U kunt alleen een vraag stellen aan een themagroep waar u bij hoort.",
    "Questions are not public.": "Vragen zijn niet openbaar.",
    "New question in %(group)s: %(title)s": "Nieuwe vraag in %(group)s: %(title)s",
    "Your account is not linked to a person of the network.":
        "Uw account is niet gekoppeld aan een persoon in het netwerk.",
    "This question is not open to you.": "Deze vraag is niet voor u toegankelijk.",
    "New answer to: %(title)s": "Nieuw antwoord op: %(title)s",
    "Only the person who asked the question marks the best answer.":
        "Alleen wie de vraag heeft gesteld, kan het beste antwoord aanwijzen.",
    # digests
    "Answered by %(author)s": "Beantwoord door %(author)s",
    "What is new for you on %(site)s": "Wat er nieuw is voor u op %(site)s",
    "Since %(since)s.": "Sinds %(since)s.",
    "New in the library": "Nieuw in de bibliotheek",
    "New questions in your groups": "Nieuwe vragen in uw groepen",
    "New answers to questions you follow": "Nieuwe antwoorden op vragen die u volgt",
    "You receive this digest (%(choice)s) because you chose it.":
        "U ontvangt deze samenvatting (%(choice)s) omdat u daarvoor hebt gekozen.",
    "Change your choice": "Uw keuze wijzigen",
    "Stop the digest mail": "Samenvattingsmail stopzetten",
    "What is new for you on %(site)s since %(since)s.": "Wat er sinds %(since)s nieuw is voor u op %(site)s.",
    "You receive this digest (%(choice)s) because you chose it. Change it: %(settings_url)s":
        "U ontvangt deze samenvatting (%(choice)s) omdat u daarvoor hebt gekozen. Wijzigen: %(settings_url)s",
    "Stop the digest mail: %(unsubscribe_url)s": "Samenvattingsmail stopzetten: %(unsubscribe_url)s",
    "Digest mail": "Samenvattingsmail",
    "Save": "Opslaan",
    "You receive no digest mail.": "U ontvangt geen samenvattingsmail.",
    "You receive the digest mail: %(choice)s.": "U ontvangt de samenvattingsmail: %(choice)s.",
    "The last one was sent on %(date)s.": "De laatste is verzonden op %(date)s.",
    "What the digest holds": "Wat er in de samenvatting staat",
    "New library items and questions in your groups, and new answers to the questions you asked or follow; only "
    "what you may see. Every mail has a link to stop it, which works without signing in.":
        "Nieuwe bibliotheekitems en vragen in uw groepen, en nieuwe antwoorden op de vragen die u hebt gesteld of "
        "volgt; alleen wat u mag zien. Elke mail bevat een link om de mail stop te zetten; die werkt zonder in te "
        "loggen.",
    "You are in no groups now, so your digest holds only answers to the questions you asked or follow.":
        "U zit op dit moment in geen enkele groep, dus uw samenvatting bevat alleen antwoorden op de vragen die u "
        "hebt gesteld of volgt.",
    "Your account is not linked to a person of the network, so you are in no groups and follow no questions: your "
    "digest will stay empty. Ask the network bureau to link your account.":
        "Uw account is niet gekoppeld aan een persoon in het netwerk. U zit dus in geen enkele groep en volgt geen "
        "vragen: uw samenvatting blijft leeg. Vraag het netwerkbureau om uw account te koppelen.",
    "Done: you will receive no more digest mail.": "Gelukt: u ontvangt geen samenvattingsmail meer.",
    "You receive the digest mail: %(choice)s. Stop it?": "U ontvangt de samenvattingsmail: %(choice)s. Stopzetten?",
    "You can choose a daily or weekly digest again at any time after signing in.":
        "Na het inloggen kunt u op elk moment weer kiezen voor een dagelijkse of wekelijkse samenvatting.",
    "Digest mail settings": "Instellingen samenvattingsmail",
    "A mail with what is new in your groups and in the questions you follow. Nothing new, no mail.":
        "Een mail met wat er nieuw is in uw groepen en bij de vragen die u volgt. Niets nieuws, geen mail.",
    "Saved: %(choice)s.": "Opgeslagen: %(choice)s.",
    # expertise
    "Who knows about it?": "Wie weet er meer van?",
    "Find colleagues in the other cities by their expertise, their portfolio and what they wrote or answered.":
        "Vind collega's in de andere steden op hun expertise, hun portefeuille en wat ze hebben geschreven of "
        "beantwoord.",
    "Search": "Zoeken",
    "Only the first %(limit)s are shown; add a word to narrow the search.":
        "Alleen de eerste %(limit)s worden getoond; voeg een woord toe om de zoekopdracht te verfijnen.",
    "City or organisation": "Stad of organisatie",
    "Portfolio": "Portefeuille",
    "Expertise": "Expertise",
    "Groups": "Groepen",
    "Wrote:": "Schreef:",
    "Answered:": "Beantwoordde:",
    "Nobody found. Try another word.": "Niemand gevonden. Probeer een ander woord.",
    # library
    "Pages": "Pagina's",
    "Previous page": "Vorige pagina",
    "Page %(number)s of %(total)s": "Pagina %(number)s van %(total)s",
    "Next page": "Volgende pagina",
    "Only %(name)s": "Alleen %(name)s",
    "Add to the library": "Toevoegen aan de bibliotheek",
    "The item": "Het item",
    "Tags": "Labels",
    "Sharing": "Delen",
    "Author": "Auteur",
    "City": "Stad",
    "Added": "Toegevoegd",
    "Documents, practices and links that the cities share with each other.":
        "Documenten, praktijkvoorbeelden en links die de steden met elkaar delen.",
    "Filter": "Filteren",
    "All pillars": "Alle pijlers",
    "All theme groups": "Alle themagroepen",
    "All cities": "Alle steden",
    "Topic": "Onderwerp",
    "All topics": "Alle onderwerpen",
    "Nothing found.": "Niets gevonden.",
    # questions
    "Similar earlier questions": "Vergelijkbare eerdere vragen",
    "%(name)s answered the question:": "%(name)s heeft de vraag beantwoord:",
    "Read all answers here:": "Lees hier alle antwoorden:",
    "Questions": "Vragen",
    "Asked by": "Gesteld door",
    "Asked to": "Gesteld aan",
    "Stop following": "Niet meer volgen",
    "Follow this question": "Deze vraag volgen",
    "Best answer": "Beste antwoord",
    "Mark the answer of %(name)s as the best": "Het antwoord van %(name)s aanwijzen als beste",
    "No answers yet.": "Nog geen antwoorden.",
    "Post the answer": "Antwoord plaatsen",
    "%(name)s asked %(group)s a question:": "%(name)s heeft %(group)s een vraag gesteld:",
    "City: %(city)s": "Stad: %(city)s",
    "Answer or follow the question here:": "Beantwoord of volg de vraag hier:",
    "Ask a question": "Een vraag stellen",
    "A question to one theme group is mailed to its members; a question to all members reaches them through the "
    "digest.":
        "Een vraag aan één themagroep wordt naar de leden van die groep gemaild; een vraag aan alle leden bereikt "
        "hen via de samenvatting.",
    "Ask the question": "Vraag stellen",
    "Questions between cities": "Vragen tussen steden",
    "Ask the other cities, or one theme group, how they handle something.":
        "Vraag de andere steden, of één themagroep, hoe zij iets aanpakken.",
    "All questions": "Alle vragen",
    "best answer chosen": "beste antwoord gekozen",
    "to %(name)s": "aan %(name)s",
    "to all members": "aan alle leden",
    "No questions yet.": "Nog geen vragen.",
    "Your question has been asked.": "Uw vraag is gesteld.",
    "Your answer has been posted.": "Uw antwoord is geplaatst.",
    "The answer has been marked as the best.": "Het antwoord is aangewezen als het beste.",
    "You follow this question: new answers reach you by mail.":
        "U volgt deze vraag: nieuwe antwoorden ontvangt u per mail.",
    "You no longer follow this question.": "U volgt deze vraag niet meer.",
    # search
    "Search: %(query)s": "Zoeken: %(query)s",
    "Search for": "Zoeken naar",
    "Library, questions and answers, pages, work programmes and meeting documents; people for members. Other "
    "forms of a word are found too. Put a minus before a word to leave it out.":
        "Bibliotheek, vragen en antwoorden, pagina's, werkprogramma's en vergaderstukken; voor leden ook personen. "
        "Andere vormen van een woord worden ook gevonden. Zet een minteken voor een woord om het uit te sluiten.",
    "Only the first %(max_query)s characters were searched for.":
        "Er is alleen gezocht op de eerste %(max_query)s tekens.",
    "Type one or more words to search for; very common words such as 'de' and 'het' are left out.":
        "Typ een of meer woorden om op te zoeken; heel gewone woorden zoals 'de' en 'het' worden weggelaten.",
    "Remove all filters": "Alle filters verwijderen",
    "Many results: the newest come first. Add a word or choose a filter to see the best matches first.":
        "Veel resultaten: de nieuwste staan bovenaan. Voeg een woord toe of kies een filter om de beste "
        "overeenkomsten bovenaan te zien.",
    "Refine": "Verfijnen",
    "remove filter %(label)s": "filter %(label)s verwijderen",
    "Results": "Resultaten",
    "Result pages": "Resultaatpagina's",
    "Previous": "Vorige",
    "Next": "Volgende",
    "Type": "Soort",
}

NL_PLURAL = {
    "%(site)s: %(count)d new item in your groups": (
        "%(site)s: %(count)d nieuw item in uw groepen",
        "%(site)s: %(count)d nieuwe items in uw groepen",
    ),
    "And %(counter)s more item": ("En nog %(counter)s item", "En nog %(counter)s items"),
    "And %(counter)s more question": ("En nog %(counter)s vraag", "En nog %(counter)s vragen"),
    "And %(counter)s more answer": ("En nog %(counter)s antwoord", "En nog %(counter)s antwoorden"),
    "And %(counter)s more item: %(site_url)s": (
        "En nog %(counter)s item: %(site_url)s",
        "En nog %(counter)s items: %(site_url)s",
    ),
    "And %(counter)s more question: %(site_url)s": (
        "En nog %(counter)s vraag: %(site_url)s",
        "En nog %(counter)s vragen: %(site_url)s",
    ),
    "And %(counter)s more answer: %(site_url)s": (
        "En nog %(counter)s antwoord: %(site_url)s",
        "En nog %(counter)s antwoorden: %(site_url)s",
    ),
    "%(counter)s person knows about “%(query)s”": (
        "%(counter)s persoon weet iets van “%(query)s”",
        "%(counter)s personen weten iets van “%(query)s”",
    ),
    "%(counter)s item": ("%(counter)s item", "%(counter)s items"),
    "%(counter)s answer": ("%(counter)s antwoord", "%(counter)s antwoorden"),
    "%(counter)s question": ("%(counter)s vraag", "%(counter)s vragen"),
    "%(counter)s result.": (
        "%(counter)s resultaat.",
        "%(counter)s resultaten, %(first)s–%(last)s getoond.",
    ),
}
