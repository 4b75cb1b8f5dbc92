"""Dutch translations: admission and resignation, contributions, invoices."""

NL = {
    # contributions
    "Contributions": "Contributies",
    "link": "link",
    "index series": "indexreeks",
    "series": "reeks",
    "year": "jaar",
    "index": "index",
    "As a fraction: 0.03200 is 3.2 %.": "Als fractie: 0,03200 is 3,2 %.",
    "demo value": "demowaarde",
    "An invented value for demonstration, not a published figure.":
        "Een verzonnen waarde voor demonstratie, geen gepubliceerd cijfer.",
    "index value": "indexwaarde",
    "index values": "indexwaarden",
    "Fixed rate": "Vast tarief",
    "Previous year's rate, indexed": "Tarief van vorig jaar, geïndexeerd",
    "1 January of the fee year": "1 januari van het contributiejaar",
    "1 January of the year before": "1 januari van het jaar ervoor",
    "The municipality's own count where recorded, else CBS": "Eigen telling gemeente waar vastgelegd, anders CBS",
    "CBS only (final, else provisional)": "Alleen CBS (definitief, anders voorlopig)",
    "CBS final only": "Alleen CBS definitief",
    "No pro-rata: a full year": "Geen pro rata: een heel jaar",
    "Whole months of membership": "Hele maanden lidmaatschap",
    "Every started month counts": "Elke begonnen maand telt",
    "rate": "tarief",
    "rate per inhabitant (euro)": "tarief per inwoner (euro)",
    "For a fixed rate. An indexed rate is computed.": "Voor een vast tarief. Een geïndexeerd tarief wordt berekend.",
    "decimals of an indexed rate": "decimalen van een geïndexeerd tarief",
    "An indexed rate is rounded half-up to this many decimals.":
        "Een geïndexeerd tarief wordt half-naar-boven afgerond op zoveel decimalen.",
    "population reference date": "peildatum inwonertal",
    "population source": "bron inwonertal",
    "pro-rata": "pro rata",
    "minimum contribution (euro)": "minimumcontributie (euro)",
    "maximum contribution (euro)": "maximumcontributie (euro)",
    "budgeted contributions (euro)": "begrote contributies (euro)",
    "The decision or document that sets this rule.": "Het besluit of document dat deze regel vaststelt.",
    "demo data": "demogegevens",
    "An assumption for demonstration, not a decision of the network.":
        "Een aanname voor demonstratie, geen besluit van het netwerk.",
    "contribution rule": "contributieregel",
    "contribution rules": "contributieregels",
    "A rate cannot be negative.": "Een tarief kan niet negatief zijn.",
    "An indexed rate needs an index series.": "Een geïndexeerd tarief heeft een indexreeks nodig.",
    "The maximum is below the minimum.": "Het maximum ligt onder het minimum.",
    "rule": "regel",
    "from inhabitants": "vanaf inwoners",
    "up to and including inhabitants": "tot en met inwoners",
    "fixed amount (euro)": "vast bedrag (euro)",
    "size class": "grootteklasse",
    "size classes": "grootteklassen",
    "A rate cannot be negative (%(year)s: %(rate)s).": "Een tarief kan niet negatief zijn (%(year)s: %(rate)s).",
    "The rule for %(year)s has no rate per inhabitant.": "De regel voor %(year)s heeft geen tarief per inwoner.",
    "%(year)s: rate €%(rate)s per inhabitant (fixed).": "%(year)s: tarief €%(rate)s per inwoner (vast).",
    "Indexation goes back more than 50 years without a fixed rate.":
        "De indexering gaat meer dan 50 jaar terug zonder vast tarief.",
    "The rule for %(year)s indexes the rate of %(previous)s, which has no rule.":
        "De regel voor %(year)s indexeert het tarief van %(previous)s, maar daarvoor is geen regel.",
    "The index series %(series)s has no value for %(year)s.":
        "De indexreeks %(series)s heeft geen waarde voor %(year)s.",
    "%(year)s: €%(before)s × (1 + %(index)s %(series)s%(demo)s) = €%(rate)s per inhabitant.":
        "%(year)s: €%(before)s × (1 + %(index)s %(series)s%(demo)s) = €%(rate)s per inwoner.",
    ", demo value": ", demowaarde",
    "There is no contribution rule for %(year)s.": "Er is geen contributieregel voor %(year)s.",
    "The rate for %(year)s is negative: %(rate)s.": "Het tarief voor %(year)s is negatief: %(rate)s.",
    "%(year)s: rates per size class.": "%(year)s: tarieven per grootteklasse.",
    "%(name)s (%(code)s): no population figure for %(date)s from %(sources)s.":
        "%(name)s (%(code)s): geen inwonertal op %(date)s uit %(sources)s.",
    "%(name)s (%(code)s): %(population)s inhabitants fall in no size class.":
        "%(name)s (%(code)s): %(population)s inwoners vallen in geen grootteklasse.",
    "minimum applies": "minimum van toepassing",
    "maximum applies": "maximum van toepassing",
    # invoices
    "Invoices": "Facturen",
    "An OIN is 20 digits.": "Een OIN bestaat uit 20 cijfers.",
    "A KvK number is 8 digits.": "Een KvK-nummer bestaat uit 8 cijfers.",
    "An IBAN: country code, check digits, account.": "Een IBAN: landcode, controlegetal, rekening.",
    "Not subject to VAT (contribution outside the scope of VAT)":
        "Niet belast met btw (contributie buiten de reikwijdte van de btw)",
    "Exempt from VAT": "Vrijgesteld van btw",
    "VAT at the standard rate": "Btw tegen het algemene tarief",
    "SI-UBL 2.0 (NLCIUS)": "SI-UBL 2.0 (NLCIUS)",
    "Peppol BIS Billing 3.0": "Peppol BIS Billing 3.0",
    "legal name": "statutaire naam",
    "street and number": "straat en huisnummer",
    "postal code": "postcode",
    "city": "plaats",
    "country code": "landcode",
    "KvK number": "KvK-nummer",
    "OIN": "OIN",
    "VAT number": "btw-nummer",
    "IBAN": "IBAN",
    "BIC": "BIC",
    "e-mail for invoices": "e-mailadres voor facturen",
    "phone": "telefoon",
    "VAT treatment": "btw-behandeling",
    "VAT rate (%)": "btw-tarief (%)",
    "Used only with VAT at the standard rate.": "Alleen gebruikt bij btw tegen het algemene tarief.",
    "VAT exemption reason": "reden btw-vrijstelling",
    "payment term in days": "betalingstermijn in dagen",
    "e-invoice profile": "e-factuurprofiel",
    "demo identifiers": "demo-identificatie",
    "KvK, OIN, IBAN and address are placeholders for demonstration, not real.":
        "KvK, OIN, IBAN en adres zijn plaatsvervangers voor demonstratie, niet echt.",
    "billing profile": "factuurprofiel",
    "billing profiles": "factuurprofielen",
    "The network needs a KvK number or an OIN as seller (SI-UBL rule BR-NL-1).":
        "Het netwerk heeft als verkoper een KvK-nummer of OIN nodig (SI-UBL-regel BR-NL-1).",
    "With this VAT treatment the invoice must carry the network's VAT number (EN 16931 rules BR-S-02, BR-E-02).":
        "Bij deze btw-behandeling moet de factuur het btw-nummer van het netwerk dragen "
        "(EN 16931-regels BR-S-02, BR-E-02).",
    "Empty: 'Gemeente' and the municipality's name.": "Leeg: 'Gemeente' en de naam van de gemeente.",
    "street and number or PO box": "straat en huisnummer of postbus",
    "buyer reference": "kenmerk afnemer",
    "The reference the municipality asks to quote (order number).":
        "Het kenmerk dat de gemeente vraagt te vermelden (ordernummer).",
    "OIN, KvK and address are placeholders for demonstration, not real.":
        "OIN, KvK en adres zijn plaatsvervangers voor demonstratie, niet echt.",
    "buyer details": "afnemergegevens",
    "Invoice": "Factuur",
    "Credit note": "Creditnota",
    "sequence": "volgnummer",
    "number": "nummer",
    "credits invoice": "crediteert factuur",
    "issue date": "factuurdatum",
    "due date": "vervaldatum",
    "period from": "periode van",
    "period to": "periode tot en met",
    "seller as issued": "verkoper bij uitgifte",
    "buyer as issued": "afnemer bij uitgifte",
    "amount excluding VAT": "bedrag exclusief btw",
    "VAT": "btw",
    "total": "totaal",
    "Issued on demo rules or placeholder identifiers.": "Uitgegeven op demoregels of plaatsvervangende gegevens.",
    "why demo": "waarom demo",
    "UBL e-invoice as issued": "UBL-e-factuur bij uitgifte",
    "issued at": "uitgegeven op",
    "invoice": "factuur",
    "invoices": "facturen",
    "An issued invoice never changes; issue a credit note instead.":
        "Een uitgegeven factuur verandert nooit; maak in plaats daarvan een creditnota.",
    "position": "positie",
    "explanation": "toelichting",
    "rate per inhabitant": "tarief per inwoner",
    "months": "maanden",
    "amount": "bedrag",
    "invoice line": "factuurregel",
    "invoice lines": "factuurregels",
    "date": "datum",
    "bank reference": "bankkenmerk",
    "payment": "betaling",
    "payments": "betalingen",
    "E-mail": "E-mail",
    "Letter": "Brief",
    "reminder number": "herinneringsnummer",
    "channel": "kanaal",
    "sent to": "verzonden aan",
    "outstanding": "openstaand",
    "reminder": "herinnering",
    "reminders": "herinneringen",
    "%(name)s: no OIN or KvK number recorded; an e-invoice needs one (SI-UBL rule BR-NL-10). "
    "Fill it in under Invoices › Buyer details.":
        "%(name)s: geen OIN of KvK-nummer vastgelegd; een e-factuur heeft er een nodig (SI-UBL-regel BR-NL-10). "
        "Vul het in onder Facturen › Afnemergegevens.",
    "%(name)s: no invoice address (street and postal code) recorded.":
        "%(name)s: geen factuuradres (straat en postcode) vastgelegd.",
    "Contribution %(network)s %(year)s": "Contributie %(network)s %(year)s",
    "%(population)s inhabitants on %(date)s (%(source)s) × %(rate)s per inhabitant":
        "%(population)s inwoners op %(date)s (%(source)s) × %(rate)s per inwoner",
    " × %(months)s/12 months (member from %(start)s)": " × %(months)s/12 maanden (lid vanaf %(start)s)",
    "the contribution rule for %(year)s is an assumption (demo data), not a decision of the network":
        "de contributieregel voor %(year)s is een aanname (demogegevens), geen besluit van het netwerk",
    "the network's KvK/OIN, IBAN and address are placeholders (demo data)":
        "KvK/OIN, IBAN en adres van het netwerk zijn plaatsvervangers (demogegevens)",
    "the municipality's OIN/KvK and address are placeholders (demo data)":
        "OIN/KvK en adres van de gemeente zijn plaatsvervangers (demogegevens)",
    "The network has no billing profile with a KvK number or OIN (SI-UBL rule BR-NL-1).":
        "Het netwerk heeft geen factuurprofiel met KvK-nummer of OIN (SI-UBL-regel BR-NL-1).",
    "The network's VAT treatment needs its VAT number on every invoice; none is recorded.":
        "De btw-behandeling van het netwerk vraagt het btw-nummer op elke factuur; er is er geen vastgelegd.",
    "Only an invoice can be credited, not %(number)s.": "Alleen een factuur kan worden gecrediteerd, niet %(number)s.",
    "A credit note needs a reason.": "Een creditnota heeft een reden nodig.",
    "Invoice %(number)s has already been credited.": "Factuur %(number)s is al gecrediteerd.",
    "Credit of invoice %(number)s: %(reason)s": "Creditering van factuur %(number)s: %(reason)s",
    "A payment amount must be positive.": "Een betaald bedrag moet positief zijn.",
    "Reminder %(level)s: invoice %(number)s": "Herinnering %(level)s: factuur %(number)s",
    "Dear Sir or Madam,\n\nOur records show that invoice %(number)s of %(date)s, %(amount)s, due on %(due)s, "
    "has not been paid in full. %(outstanding)s is outstanding. Please pay it within 14 days to %(iban)s, "
    "quoting %(number)s.\n\nThe reminder letter is attached.\n\n%(seller)s":
        "Geachte heer, mevrouw,\n\nVolgens onze administratie is factuur %(number)s van %(date)s, %(amount)s, "
        "te betalen uiterlijk op %(due)s, nog niet volledig betaald. Er staat %(outstanding)s open. "
        "Wij verzoeken u dit "
        "bedrag binnen 14 dagen over te maken op %(iban)s, onder vermelding van %(number)s.\n\n"
        "De herinneringsbrief is bijgevoegd.\n\n%(seller)s",
    # membership procedures
    "notice period in months": "opzegtermijn in maanden",
    "A resignation takes effect at the end of the first financial year that ends at least this many months "
    "after the notice.":
        "Een opzegging gaat in aan het einde van het eerste boekjaar dat ten minste zoveel maanden na de "
        "opzegging eindigt.",
    "first month of the financial year": "eerste maand van het boekjaar",
    "The articles of association or decision that sets these rules.":
        "De statuten of het besluit dat deze regels vaststelt.",
    "membership rules": "lidmaatschapsregels",
    "Admission": "Toetreding",
    "Resignation": "Opzegging",
    "College decides to apply": "College besluit lidmaatschap aan te vragen",
    "Board approves": "Bestuur stemt in met toetreding",
    "Board rejects": "Bestuur wijst toetreding af",
    "Application withdrawn": "Aanvraag ingetrokken",
    "Membership effective": "Lidmaatschap gaat in",
    "Notice of resignation": "Opzegging lidmaatschap",
    "Membership ends": "Lidmaatschap eindigt",
    "Applied, awaiting the board": "Aangevraagd, wacht op het bestuur",
    "Approved, not yet effective": "Goedgekeurd, nog niet ingegaan",
    "Rejected": "Afgewezen",
    "Withdrawn": "Ingetrokken",
    "Member": "Lid",
    "Notice given": "Opgezegd",
    "status": "status",
    "The period this admission created or this resignation ends.":
        "De periode die deze toetreding begon of die deze opzegging beëindigt.",
    "created at": "aangemaakt op",
    "membership procedure": "lidmaatschapsprocedure",
    "membership procedures": "lidmaatschapsprocedures",
    "procedure": "procedure",
    "step": "stap",
    "document": "document",
    "reference": "kenmerk",
    "What the document is: decision number, letter, publication.":
        "Wat het document is: besluitnummer, brief, publicatie.",
    "procedure step": "procedurestap",
    "procedure steps": "procedurestappen",
    "Merged into %(name)s.": "Opgegaan in %(name)s.",
    "Successor of %(name)s.": "Opvolger van %(name)s.",
    "Merger": "Herindeling",
    "%(name)s is already a member on %(date)s.": "%(name)s is op %(date)s al lid.",
    "%(name)s already has an admission procedure under way.": "Voor %(name)s loopt al een toetredingsprocedure.",
    "The board can only decide on an application awaiting it; this one is: %(status)s.":
        "Het bestuur kan alleen besluiten over een aanvraag die op het bestuur wacht; deze is: %(status)s.",
    "The board's decision (%(date)s) cannot precede the application (%(applied)s).":
        "Het besluit van het bestuur (%(date)s) kan niet vóór de aanvraag (%(applied)s) liggen.",
    "Only an application under way can be withdrawn; this one is: %(status)s.":
        "Alleen een lopende aanvraag kan worden ingetrokken; deze is: %(status)s.",
    "Membership can only take effect after the board approved; this procedure is: %(status)s.":
        "Het lidmaatschap kan pas ingaan nadat het bestuur heeft ingestemd; deze procedure is: %(status)s.",
    "The effective date %(date)s lies before the board's decision of %(decided)s.":
        "De ingangsdatum %(date)s ligt vóór het besluit van het bestuur van %(decided)s.",
    "%(name)s is not a member on %(date)s.": "%(name)s is op %(date)s geen lid.",
    "The membership of %(name)s already ends on %(end)s.": "Het lidmaatschap van %(name)s eindigt al op %(end)s.",
    "By the network's rule: the end of the financial year at least %(months)s months after the notice.":
        "Volgens de regel van het netwerk: het einde van het boekjaar ten minste %(months)s maanden na de opzegging.",
    "A municipality cannot succeed itself.": "Een gemeente kan zichzelf niet opvolgen.",
    "Merged into %(successor)s.": "Opgegaan in %(successor)s.",
    "Successor of %(names)s.": "Opvolger van %(names)s.",
    "predecessor": "voorganger",
    "successor": "opvolger",
    "The first day of the successor.": "De eerste dag van de opvolger.",
    "succession": "opvolging",
    "successions": "opvolgingen",
    "Timeline": "Tijdlijn",
    "Document": "Document",
}
