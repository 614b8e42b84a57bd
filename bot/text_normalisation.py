"""Dutch text normalisation for the intent and FAQ models (issue 17, point 4).

Melders write the way colleagues chat: "mn tc", "ff", "idd", "pv", accents or not,
emoji. Before the TF-IDF features see a message, :func:`normalise`

* lower-cases it and removes accents ("één" -> "een", "geïntimideerd" -> "geintimideerd");
* writes common chat shorthand and police abbreviations out as words ("mn tc" ->
  "mijn teamchef"), so a model that saw "teamchef" in training also knows "tc";
* adds a concept word for a small domain lexicon (:data:`LEXICON`): "bruine", "kleurtje"
  and "buitenlander" all add ``lexherkomst``. The lexicon carries domain knowledge the
  training sentences cannot all show: a word the model never saw still points to the
  right situation through its concept.

Pure standard library; used at training and at prediction time alike.
"""

from __future__ import annotations

import re
import unicodedata

# Chat shorthand and police abbreviations -> words (whole tokens only).
SHORTHAND: dict[str, str] = {
    "mn": "mijn",
    "m'n": "mijn",
    "mijne": "mijn",
    "zn": "zijn",
    "z'n": "zijn",
    "d'r": "haar",
    "ff": "even",
    "idd": "inderdaad",
    "ipv": "in plaats van",
    "i.p.v.": "in plaats van",
    "ivm": "in verband met",
    "i.v.m.": "in verband met",
    "wss": "waarschijnlijk",
    "mss": "misschien",
    "sws": "sowieso",
    "gwn": "gewoon",
    "nie": "niet",
    "ni": "niet",
    "nx": "niks",
    "hb": "heb",
    "k": "ik",
    "kzit": "ik zit",
    "kheb": "ik heb",
    "t": "het",
    "'t": "het",
    "da": "dat",
    "wrm": "waarom",
    "vd": "van de",
    "vh": "van het",
    "tc": "teamchef",
    "oe": "operationeel expert",
    "lg": "leidinggevende",
    "lgv": "leidinggevende",
    "lg'er": "leidinggevende",
    "sh": "sectorhoofd",
    "mdw": "medewerker",
    "mdwr": "medewerker",
    "mw": "medewerker",
    "collegas": "collega's",
    "coll": "collega",
    "pv": "proces-verbaal",
    "vp": "vertrouwenspersoon",
    "pb": "praktijkbegeleider",
    "aspi": "aspirant",
    "aspie": "aspirant",
    "pa": "politieacademie",
    "hr": "personeelszaken",
    "p&o": "personeelszaken",
    "bmw": "bedrijfsmaatschappelijk werk",
    "tco": "collegiale ondersteuning",
    "udr": "uitsluiting discriminatie racisme",
    "nh": "noodhulp",
    "ovj": "officier van justitie",
    "app": "app",
    "w8": "wacht",
    "plz": "alsjeblieft",
    "pls": "alsjeblieft",
    "thx": "bedankt",
    "tnx": "bedankt",
    "bedankt!": "bedankt",
    # Added in the second round (issue 17, point 4): more chat shorthand and police terms.
    "zsm": "zo snel mogelijk",
    "gvd": "godverdomme",
    "gvm": "godverdomme",
    "kk": "kanker",
    "evt": "eventueel",
    "bijv": "bijvoorbeeld",
    "bv": "bijvoorbeeld",
    "iig": "in ieder geval",
    "ofzo": "of zo",
    "wsl": "waarschijnlijk",
    "ws": "waarschijnlijk",
    "idk": "ik weet het niet",
    "em": "hem",
    "'m": "hem",
    "tl": "teamleider",
    "mt": "managementteam",
    "ovd": "officier van dienst",
    "hovj": "hulpofficier van justitie",
    "bhv": "bedrijfshulpverlening",
    "wa": "whatsapp",
    "app'je": "appje",
    "insta": "instagram",
    "fb": "facebook",
    "dm": "prive bericht",
    "dms": "prive berichten",
    "pm": "prive bericht",
}

# Concept words. A message gets `lex<concept>` once per concept whose pattern occurs.
LEXICON: dict[str, str] = {
    "herkomst": r"\b(bruin\w*|zwart(e|je)?|kleurtje|huidskleur|donker\w* (huid|collega|jongen|meid)"
    r"|neger\w*|n-woord|marokka\w*|turk\w*|surinam\w*|antilliaan\w*|afrika\w*|aziat\w*|chinees"
    r"|allochto\w*|buitenlander\w*|afkomst|migratie\w*|etnisch\w*|ras|racis\w*|aap|apen|banaan"
    r"|blanke?|wit(te)? (collega|mensen)|roots|spleetoog\w*|zwarte piet|getint|zwartjes|arab\w*"
    r"|eritre\w*|zigeuner\w*|roma|ching|chong|apengeluid\w*|aapje\w*|oost-europe\w*|polen|pool"
    r"|eigen (land|volk)|terug naar (je|jouw) land)\b",
    "religie": r"\b(moslim\w*|islam\w*|hoofddoek\w*|ramadan|moskee|bidden|gebed\w*|joods\w*|jood"
    r"|joden|keppel|christen\w*|kerk|geloof\w*|religie\w*|halal|bid|bidt|boeddhis\w*|hindoe\w*"
    r"|mediter\w*|sekte|koran\w*|suikerfeest)\b",
    "geaardheid": r"\b(homo\w*|lesbi\w*|flikker\w*|nicht(erig)?|trans\w*|gay|bi|queer|roze"
    r"|geaardheid|genderidentiteit|non-binair\w*|mietje|deadname\w*"
    r"|voornaamwoord\w*|gender\w*|misgender\w*|pride|regenboog\w*)\b",
    "beperking": r"\b(handicap\w*|gehandicapt\w*|invalide\w*|\w*beperking|adhd|autis\w*"
    r"|dyslex\w*|rolstoel|chronisch ziek|stotter\w*|doof|slechthorend)\b",
    "leeftijd": r"\b(leeftijd|te oud|te jong|oudje|ouwe|boomer|opa|oma|\d\d-plus\w*|vijftig-plus\w*"
    r"|zestig-plus\w*|pensioen\w*|oudere (collega|medewerker)\w*|jong en fris)\b",
    "zwanger": r"\b(zwanger\w*|bevalling|verlof na de bevalling|moederschap\w*|kinderwens)\b",
    "vrouwen": r"\b(vrouwen|vrouw|meiden|wijven|mannen|mannenwereld|mannenberoep|keuken"
    r"|vrouwelijke|seksis\w*|blond(je|jes|ine)|ongesteld\w*|dame|dames|meisje|meisjes|vent"
    r"|hormon\w*|mannelijke|women|woman|girls?|female)\b",
    "lichaam": r"\b(borsten|tieten|kont|billen|benen|lichaam|figuur|lekker ding|schatje|sexy"
    r"|geil\w*|naakt\w*|dickpic\w*|seks\w*|flirt\w*|zoenen|kus(sen|je)?|bed|bh|beha|blouse|knoopje"
    r"|porno\w*|kreun\w*|gezoend|zoende|gekust|kuste|tongzoen\w*|boobs|ass|hot|kiss\w*"
    r"|nudes?|sexual\w*|creep\w*)\b",
    "aanraken": r"\b(aanraakt|aanraken|aangeraakt|betast\w*|zit(ten)? aan|zat aan|knijp\w*"
    r"|hand op|arm om|tegen me aan|billen|bips|tussen (mijn|m'n) benen"
    r"|onder (mijn|m'n) (shirt|trui|blouse|rok)"
    r"|aan me zit|zit aan me|zit constant aan|touch\w*|grab\w*|groped)\b",
    "systemen": r"\b(bvh|brp|blueview|blue view|politiesystem\w*|systemen|systeem|opgezocht"
    r"|opzoeken|natrekken|nagetrokken|bevraging\w*|privebevraging\w*|kenteken\w*)\b",
    "optreden": r"\b(geboeide?|arrestant\w*|aangehouden (jongen|man|vrouw|verdachte)|in de cel"
    r"|cellen\w*|celcomplex|tijdens (de|een) aanhouding|buitensporig\w*|disproportione\w*"
    r"|excessief geweld)\b",
    "lekken": r"\b(lek(t|ken|te)?|doorgespeeld|doorgegeven aan|pers|journalist\w*|crimineel"
    r"|criminelen)\b",
    "middelen": r"\b(drugs|coke|cocaine|wiet|xtc|alcohol|dronken|drank|bier|onder invloed"
    r"|gesnoven|drunk)\b",
    "geweld": r"\b(duw\w*|geduwd|sla(at|an|g)?|geslagen|klap(pen)?|trap(pen|te)?|getrapt"
    r"|keel|gewurgd|vastgegrepen|grijpt|greep|tegen de muur|kopstoot|schopte?|geschopt"
    r"|vechtpartij|vuist|pushed|punched|kicked)\b",
    "dreigen": r"\b(dreig\w*|bedreig\w*|kapot ?maken|schreeuw\w*|brul\w*|tier\w*|intimid\w*"
    r"|bang gemaakt|angst aanjagen|pas maar op|let maar op|pas op je tellen|snauw\w*|gesnauwd"
    r"|vloek\w*|gevloek\w*|geschreeuw|weet (je|jou) (wel )?te vinden|weet waar (je|jij) woont"
    r"|versperd|klemgezet|klem gezet|smeet|toegesist|bek (moest|moet) houden"
    r"|gezond (wil )?blijven|threat\w*|yell\w*|scream\w*|shout\w*)\b",
    "buiten": r"\b(doxing|gedoxt|adres\w* (online|op internet|gedeeld|verspreid)|online gezet"
    r"|op internet|social media|facebook|instagram|tiktok|telegram|gevolgd|opgewacht"
    r"|voor mijn deur|bij mijn huis|mijn kinderen|mijn gezin|criminelen|bij (mij|mijn huis) thuis"
    r"|haatbericht\w*|telefoonnummer|mijn 06|filmt|gefilmd|filmen)\b",
    "incident": r"\b(reanim\w*|dood\w*|overleden|lijk\w*|schietinciden\w*|geschoten|schietpartij"
    r"|ongeluk\w*|ongeval\w*|zelfdoding|zelfmoord|verdronken|beelden|nachtmerrie\w*"
    r"|herbeleef\w*|flashback\w*|slapen|slaap|trauma\w*|ptss|heftige? (melding|inzet)|omgekomen"
    r"|verongelukt|zwaargewond\w*|steekpartij|aanrijding|\w*brand)\b",
    "geweten": r"\b(geweten|dilemma\w*|moreel|morele|gewetens\w*|tegen mijn principes"
    r"|niet rijmen|voelt niet goed|ethisch\w*|waarden)\b",
    "melden": r"\b(gemeld|melding|aangekaart|aangegeven|klacht|aan de bel getrokken"
    r"|opgebiecht|verteld aan|ingediend|reported|report)\b",
    "sindsdien": r"\b(sindsdien|daarna|sinds ik|nadat ik|na mijn melding|als straf|straf"
    r"|wraak|overgeplaatst|slechte beoordeling|afgerekend|afrekening|uitgelekt|weet dat ik het was"
    r"|(komt|kwam) te vervallen|alsof (ik|ze|hij) lucht (ben|is))\b",
    "stil": r"\b(niks mee|niets mee|geen reactie|niets gehoord|niks gehoord|nooit meer iets"
    r"|blijft liggen|in de la|op de plank|niet opgepakt|afgedaan|nooit terug ?gebeld"
    r"|belde nooit terug"
    r"|uitgesteld|bij gebleven|geen terugkoppeling|onbeantwoord|nothing happened|no response"
    r"|no reply|never heard)\b",
    "macht": r"\b(beoordeling|beoordeelt|afhankelijk|macht\w*|als je niet|anders krijg"
    r"|praktijkbegeleider|begeleider|stageplek|diploma|contract verleng\w*|vaste aanstelling)\b",
    "personeel": r"\b(personeelszaken|re-integratie|reintegratie|ziekteverzuim|ziek gemeld"
    r"|arbeidsvoorwaarden|salaris|contract|afspraken? (niet|nooit) nagekomen|functiewaardering"
    r"|sollicitatie\w*|selectieprocedure|bevordering|loopbaan)\b",
    "privacy": r"\b(medisch\w*|diagnose|ziektebeeld|dossier|persoonlijke? (informatie|gegevens)"
    r"|privegegevens|prive-informatie|rondverteld|doorverteld|verspreid|avg|privacy)\b",
    "team": r"\b(team|ploeg|basisteam|afdeling|groepjes|kliek\w*|subgroep\w*|sfeer|cultuur"
    r"|niemand durft|onveilig\w*)\b",
    "uitsluiten": r"\b(buitengesloten|buiten(ge)?sluiten|sluiten (me|mij) buiten|niet uitgenodigd"
    r"|hoor er niet bij|past niet|pas niet|apart|alleen eten|genegeerd|negeren|niet welkom"
    r"|links laten liggen|left out|excluded|ignored)\b",
    "pesten": r"\b(pest\w*|gepest|uitgelachen|belachelijk|lachen (me|mij) uit|bijnaam|grappen over"
    r"|treiter\w*|voor gek|zwart ?maken|geroddel|roddel\w*|bull(y|ied|ying)|mock\w*"
    r"|ma(k|d)e fun|laugh(ing)? at)\b",
}
_LEXICON = {concept: re.compile(pattern) for concept, pattern in LEXICON.items()}
_TOKEN = re.compile(r"[\w'&.\-]+|[^\w\s]", re.UNICODE)


def strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def expand_shorthand(text: str) -> str:
    """Whole-token shorthand replaced by words; punctuation around a token is kept."""
    out = []
    for token in text.split():
        core = token.strip(',.!?;:()"')
        replacement = SHORTHAND.get(core)
        out.append(token.replace(core, replacement, 1) if replacement else token)
    return " ".join(out)


def concepts(text: str) -> list[str]:
    """The lexicon concepts a normalised text mentions, in lexicon order."""
    return [concept for concept, pattern in _LEXICON.items() if pattern.search(text)]


def normalise(text: str) -> str:
    """Lower case, no accents, shorthand written out, plus lexicon concept words."""
    if text.startswith("/"):
        return text
    plain = expand_shorthand(strip_accents(text.lower()))
    found = concepts(plain)
    return f"{plain} {' '.join('lex' + c for c in found)}" if found else plain


def word_count(text: str) -> int:
    """Words in a message as the melder wrote it (punctuation and emoji not counted)."""
    return sum(1 for token in _TOKEN.findall(text) if any(ch.isalnum() for ch in token))
