"""Person names: cue patterns (civilities, roles, signatures), a first-name list, and the rules
that decide which spaCy PER entities to keep and whether a text needs NER at all.

The rule for staff: every person name is replaced, customers' and staff's alike ("le vendeur
Kevin" becomes "le vendeur [NOM]"). A first name is personal data whoever carries it, and a
manager who needs to know which seller a comment is about gets it from the structured seller
field of the import, not from the free text.
"""

from __future__ import annotations

import logging
import re

from pouls_analysis.privacy import name_lists

__all__ = ["find_name_cues", "keep_entity", "needs_ner"]

logger = logging.getLogger(__name__)

Found = tuple[int, int, str]

_UP = "A-ZÀ-ÖØ-Þ"
_LOW = "a-zà-öø-ÿœ"
# One name word: "Dupont", "Jean-Pierre", "O'Neill", "DUPONT", "Le" (as in "Le Goff"), "J.".
_WORD = (
    rf"(?:[{_UP}][a-z]?\.(?=[\s-]|$)|[{_UP}][{_LOW}]+(?:[-'’][{_UP}][{_LOW}]+)*"
    rf"|[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})*)"
)
_PARTICLE = r"(?:(?:de|du|des|d['’]|van|von|der|di|da|le|la|Le|La|De|Du|Van)\s*)"
_NAME = (
    rf"{_WORD}(?:[ \u00a0\u202f]+{_PARTICLE}?{_WORD}"
    rf"|[ \u00a0\u202f]*(?<=\s){_PARTICLE}{_WORD}){{0,3}}"
    r"(?![\w'’])"
)

_CIVILITY = (
    r"M\.|MM\.|Mr\.?|Mrs\.?|Mme\.?|Mmes|Mlle\.?|Mlles|Dr\.?|Pr\.?|Me|"
    r"(?i:madame|monsieur|mademoiselle|messieurs|mesdames|docteur|professeur|ma[îi]tre)"
)
_ROLES = (
    r"vendeur|vendeuse|conseiller|conseill[èe]re|caissier|caissi[èe]re|h[ôo]te|h[ôo]tesse|"
    r"technicien|technicienne|livreur|livreuse|responsable|directeur|directrice|g[ée]rant|"
    r"g[ée]rante|manager|manageuse|coll[èe]gue|commercial|commerciale|agent|agente|employ[ée]e?|"
    r"chef de rayon|chef d['’][ée]quipe|chef de magasin|op[ée]rateur|op[ée]ratrice|"
    r"interlocuteur|interlocutrice|infirmi[èe]re?|m[ée]decin|mari|femme|[ée]pouse|[ée]poux|fils|"
    r"fille|m[èe]re|p[èe]re|fr[èe]re|s[œo]e?ur|ami|amie|voisin|voisine|client|cliente|dame|"
    r"jeune homme|jeune femme|nomm[ée]e?|pr[ée]nomm[ée]e?|appel[ée]e?|d[ée]nomm[ée]e?|stagiaire|"
    r"apprenti|apprentie|coursier|r[ée]parateur|installateur|installatrice|magasinier|"
    r"pr[ée]parateur|pr[ée]paratrice|standardiste|t[ée]l[ée]conseiller|t[ée]l[ée]conseill[èe]re|"
    r"expert|experte|plombier|[ée]lectricien|charg[ée]e? de client[èe]le|adjoint|adjointe|"
    r"b[ée]n[ée]vole|coiffeur|coiffeuse|serveur|serveuse|pharmacien|pharmacienne|fils|neveu|"
    r"ni[èe]ce|petit-fils|petite-fille|belle-m[èe]re|beau-p[èe]re|compagnon|compagne|conjoint|"
    r"conjointe|locataire|propri[ée]taire|chauffeur|monteur|dépanneur|d[ée]panneuse|jeune|"
    r"livreurs|vendeurs|conseillers|techniciens|gar[çc]on|homme|notre conseiller|"
    r"notre conseill[èe]re|mon conseiller|ma conseill[èe]re|coach|formateur|formatrice|"
    r"animateur|animatrice|guide|h[ôo]te de caisse|h[ôo]tesse de caisse|boucher|bouch[èe]re|"
    r"fleuriste|opticien|opticienne|audioproth[ée]siste|esth[ée]ticienne|vigile|"
    r"agent de s[ée]curit[ée]"
)
# Cues after which a capitalised word is a name whatever it is ("je m'appelle Soizic")...
_NAMING_CUES = (
    r"je m['’]appelle|s['’]appelle|se pr[ée]nomme|se nomme|mon nom est|mon nom\s*:|nom\s*:|"
    r"pr[ée]nom\s*:|moi c['’]est|de la part de|sign[ée]e?|d[ée]nomm[ée]e?|pr[ée]nomm[ée]e?|"
    r"merci (?:beaucoup |encore |bien |mille fois )?[àa]|remerciements? [àa]|bravo [àa]|"
    r"gr[âa]ce [àa]|f[ée]licitations [àa]|contact\s*:|interlocut(?:eur|rice)\s*:|"
    r"une? certaine?|une? nomm[ée]e?|une? d[ée]nomm[ée]e?|du nom de|au nom de|"
    r"(?:je|nous) remercions?|remercier|r[ée]ponse de|trait[ée]e? par|suivie? par|"
    r"sign[ée]e? par|valid[ée]e? par|envoy[ée]e? par|r[ée]dig[ée]e? par"
)
# ...and weaker ones, after which it must be a known first name ("avec Pierre", not "avec Free").
_CUES = (
    r"je suis|c['’]est|demand[ée]z?|demander|parl[ée] [àa]|parler [àa]|eu|avec|par|pour|chez|"
    r"surtout [àa]|et [àa]|servie? par|re[çc]ue? par|aid[ée]e? par|voir|voyez|contactez|"
    r"appelez|rappelez|selon|d['’]apr[èe]s|dixit|remercie|salue|l['’]attention de|"
    r"demand(?:er|ez|é|e) [àa]|adressez-vous [àa]|s['’]adresser [àa]|voir avec|[ée]crire [àa]|"
    r"transmis [àa]|(?:et|ou|puis) avec|(?:et|ou|puis) par|les|chez les|famille"
)
# Closing formulas of letters and e-mails; the name that follows on its own line is a signature.
_CLOSINGS = (
    r"cordialement|bien cordialement|tr[èe]s cordialement|salutations(?: distingu[ée]es)?|"
    r"sinc[èe]res salutations|bien [àa] vous|sinc[èe]rement|merci d['’]avance|merci par avance|"
    r"merci|merci beaucoup|bonne journ[ée]e|bonne soir[ée]e|respectueusement|amicalement|"
    r"[àa] bient[ôo]t|bises|bisous|biz|amiti[ée]s|a\+|@\+|cdlt|slts|distingu[ée]es|regards|"
    r"best regards|kind regards|bien [àa] toi|belle journ[ée]e|merci [àa] vous|"
    r"respectueuses salutations|salutations respectueuses|meilleures salutations"
)
# Cues are matched backwards from each capitalised word (on a short window before it), which
# is several times faster than scanning whole texts with long alternations.
_NAME_AT = re.compile(_NAME)
_CAP_AT = re.compile(rf"(?<![\w'’.-])[{_UP}]")
_CIVILITY_BEFORE = re.compile(rf"(?<![\w.])(?:{_CIVILITY})[ \u00a0\u202f]+$")
_ROLE_BEFORE = re.compile(
    rf"(?<![\w])(?i:{_ROLES}),?[ \u00a0\u202f]+(?:(?:M\.|Mme|Mlle)[ \u00a0\u202f]+)?$"
)
_GREETING_BEFORE = re.compile(
    r"(?<![\w])(?i:bonjour|bonsoir|salut|hello|coucou|cher|ch[èe]re|merci|merci encore|"
    r"bravo|f[ée]licitations)[ \u00a0\u202f]+$"
)
_GREETING_AFTER = re.compile(r"[ \u00a0\u202f]*(?:[,!.:;\n]|$)|[ \u00a0\u202f]+(?:pour|et)\b")
_CUE_BEFORE = re.compile(rf"(?<![\w])(?i:{_CUES})[ \u00a0\u202f]+$")
_NAMING_CUE_BEFORE = re.compile(rf"(?<![\w])(?i:{_NAMING_CUES})[ \u00a0\u202f]+$")
_SIGNATURE_BEFORE = re.compile(
    rf"(?:(?<![\w])(?i:{_CLOSINGS})[ \u00a0\u202f]*[,.!]*[ \u00a0\u202f]*\r?\n?"
    r"[ \u00a0\u202f\r\n-]*"
    r"|(?m:^)--[ \u00a0\u202f]*\r?\n)$"
)
_SIGNATURE_AFTER = re.compile(r"[ \u00a0\u202f.]*(?:\r?\n|$|[,–—|/(-])")
_SENTENCE_START = re.compile(r"(?:^|[.!?…:;\n\"«(]\s*|^\s*[-*•]\s*)$")
_ABBREVIATION_BEFORE = re.compile(r"(?:\b(?:M|MM|Mr|Mme|Mlle|Dr|Pr|St|Ste|[A-Z])\.\s*)$")


def _opens_sentence(text: str, start: int) -> bool:
    """True when the word at ``start`` opens a sentence (not after "M." or "Dr.")."""
    before = text[max(0, start - 30) : start]
    if start == 0 or not before.strip():
        return True
    return bool(_SENTENCE_START.search(before)) and not _ABBREVIATION_BEFORE.search(before)


# Common French first names (lower case). Written for this project from general knowledge.
FIRST_NAMES = frozenset(
    """
    adam adèle adrien agathe agnès aicha aïcha alain alban albert alexandra alexandre alexis
    alice aline alix amandine amélie amine anaïs andré andrea andrée ange angèle angélique
    anne annie anthony antoine antonin apolline arnaud arthur audrey augustin aurélie aurélien
    axel baptiste barbara bastien benjamin benoît bernadette bernard bertrand brigitte bruno
    camille capucine carine carole caroline catherine cécile céline chantal charles charlotte
    chloé christian christiane christine christophe claire clara claude clément clémence colette
    corinne cyril damien daniel danielle david delphine denis denise didier dominique dylan
    edouard édouard eléonore éléonore elisa élisa elise élise élodie eloïse emilie émilie emma
    emmanuel emmanuelle enzo eric éric estelle ethan etienne étienne eugénie eva evelyne fabien
    fabienne fabrice fanny fatima fatou florence florian françois françoise frédéric frédérique
    gabriel gaël gaëlle gaspard geneviève georges gérard ghislaine gilbert gilles guillaume
    guy hélène henri hervé hugo hugues inès irène isabelle jacqueline jacques jade jean jeanne
    jean-baptiste jean-claude jean-françois jean-louis jean-luc jean-marc jean-marie jean-michel
    jean-paul jean-philippe jean-pierre jérémy jérôme joël joëlle jonathan jordan joseph
    josette josiane julia julie julien juliette justine karim karima karine kevin kévin killian
    laetitia lætitia laura laure laurence laurent léa léna léo léon léonie lina lisa loïc
    louis louise luc luca lucas lucie lucien lucile ludovic lydie madeleine maël maëlle
    manon marc marcel marguerite margaux margot maria marie marie-claire marie-christine
    marie-france marie-hélène marine marion marius marthe martin martine mathieu mathilde
    matthieu maxime mehdi mélanie michel micheline michèle mickaël mireille mohamed monique
    morgane muriel myriam nadia nadine nathalie nathan nicolas nicole noah noémie norbert
    océane odette olivier olive pascal pascale patrice patricia patrick paul paule pauline
    philippe pierre quentin rachel raphaël raymond rémi rémy renée régis richard robert
    rodolphe roger romain rose roseline sabine sacha salomé samia samuel sandrine sarah sébastien
    serge simon simone solène sophie stéphane stéphanie suzanne sylvain sylvie tanguy théo
    thérèse thibault thierry thomas timothée tom valentin valérie vanessa véronique victor
    victoire vincent virginie xavier france florence nancy yann yannick yasmine yves yvette
    yvonne zoé
    abdel abdelkader abdoulaye abel achille adélaïde adeline adrienne ahmed aïssatou albane
    alexia alfred alicia aline allan amadou amaury ambre amina anissa annabelle annick anouk
    apolline ariane armand arnaud aude augustine axelle aymeric bilal blandine boris brandon
    bryan candice carla cassandra cédric célia charlène cindy clarisse clotilde coralie cyrille
    daniela denise diane dimitri djamel dorothée edith édith eliott elsa éloïse emeline émeline
    emile émile enora ernest esther eugène évelyne fabrice farid fernand fernande flavie
    francis franck gabrielle gaëtan gaston geoffrey gervais ginette gisèle gustave gwen
    gwenaël gwenaëlle gwendal gwendoline hamid hassan hélèna henriette hicham honorine ibrahim
    ilyes imane inès irène jacky jason jessica jimmy joachim jocelyne johan johanna josé
    josiane jules justin kader kamel karl katia kelly kenza khadija lola lorenzo louane
    lucienne lydia malik malika mamadou marcelle marianne marjorie marylène maryse maurice
    maxence mélissa mélodie messaoud mickael mohammed moussa nabil nadège naïma naomi nelly
    nina ninon noël noëlle noémie odile olga omar ophélie ousmane patrice paulette perrine
    priscilla rachid raoul rayan rebecca robin rodrigue roland rosalie ryan sabrina salim
    samir sandra séverine sofiane sonia stella steve sylvianne tatiana teddy théophile
    thi tiphaine tristan ulysse valentine véra vianney victorine wilfried william yasmina
    yohan youssef yvan zacharie zinedine
    """.split()
)
# More first names, surnames of the people French customers and staff are, from regions the
# packaged list (Faker's, below) covers thinly: West and North Africa, Vietnam, China, Portugal,
# Eastern Europe, India. Written for this project from general knowledge.
_MORE_FIRST_NAMES = """
    oumar omar sékou sekou ibrahima aïssatou aissatou fatoumata mariama moussa souleymane
    boubacar cheikh modou awa aminata kadiatou binta coumba ndeye seydou lamine ousmane mamadou
    alassane adama assa bakary djibril fodé issa kadi mariam oumou salif siaka tidiane yacouba
    rayane yanis nassim sofiane walid youcef yousra soufiane khaled mounir nadir farida leïla
    leila samira zineb kenza ilyès ilyes anis hakim jamel kamel karima latifa loubna malika
    meriem nabila naïma nawel rachida redouane saïd saïda salima sami sarah selma sihem tarik
    wassim yacine yassine zakaria zohra habib hamza houda ikram imène inès kader lotfi mehdi
    thanh minh huong linh tuan quang thuy hanh trang phuong duc hoang huy khanh ngoc
    mei wei xiao jing yan ying hui zhen chen jun lei
    joão tiago joaquim gonçalo rui nuno sérgio duarte inês catarina leonor beatriz conceição
    oksana olena natalia natalya svetlana irina olga tetiana yulia andriy oleksandr dmytro
    vasile ionut ionuț mihai andrei bogdan florin mirela ioana
    priya anjali rahul arjun deepak kavya sanjay sunita vikram
    mathéo matheo kilian killian lenny timéo timeo nolan lilou maëlys maelys jade louna
    """
_MORE_SURNAMES = """
    diallo traoré traore diop ndiaye camara keita keïta cissé cisse sow barry coulibaly sylla
    konaté konate touré toure sissoko diarra kouyaté fofana bamba doumbia kanté kante sangaré
    benali haddad mansouri benmohamed belkacem bouzid cherif chérif hamidi khelifi meziane
    saïdi saidi zerrouki amrani boukhari
    nguyen tran pham huynh vo dang bui ngo duong trinh
    wang zhang liu yang huang zhao zhou
    da silva dos santos ferreira pereira rodrigues fernandes gonçalves oliveira carvalho
    kowalski nowak wiśniewski kowalczyk lewandowski
    dupuis bouvier lemoine lefèvre lefebvre leroy moreau girard fontaine chevalier rousseau
    vincent morel fournier mercier dupont durand dubois lambert bonnet françois legrand garnier
    faure andré gauthier perrin robin clément morin nicolas henry roussel mathieu gautier
    masson marchand duval denis dumont marie lemaire noël meyer dufour meunier brun blanchard
    giraud joly rivière lucas brunet gaillard barbier arnaud martinez gérard roche renard
    schmitt colin vidal caron picard roger fabre aubert lemoine renaud dumas lacroix olivier
    philippe bourgeois pierre benoit rey leclerc payet rolland leclercq guillaume lecomte
    lopez jean dupuy guillot hubert berger carpentier sanchez dupré moulin louis deschamps
    huet vasseur perez boucher fleury royer klein jacquet adam paris poirier marty aubry
    guyot carré charles renault charpentier ménard maillard baron bertin bailly hervé schneider
    fernandez le gall collet léger bouvet laurent benard bernard petitjean delacroix lambert
    """
# First names that are also common words, places or brands: only taken on a cue or with a
# surname, never alone ("bleu marine", "la marine", "en France", "la pierre", "Nancy").
AMBIGUOUS_FIRST_NAMES = frozenset(
    "marine rose pierre olive france claire martin florence nancy ange jade margot victoire "
    "constance prune capucine violette aurore espérance blanche lourdes valence dominique "
    "pascal noël noëlle camille océane solène margaux ambre".split()
)
# Capitalised words that are not person names: places, brands, titles, greetings, calendar.
NON_NAMES = frozenset(
    """
    paris lille lyon marseille toulouse nice nantes strasbourg montpellier bordeaux rennes reims
    toulon grenoble dijon angers nîmes villeurbanne clermont-ferrand aix aix-en-provence brest
    tours amiens limoges annecy perpignan metz besançon orléans rouen mulhouse caen nancy
    argenteuil roubaix tourcoing dunkerque avignon poitiers versailles pau calais cannes
    antibes colmar rochelle bayonne lorient quimper valence troyes chambéry niort lens arras
    douai valenciennes cambrai lourdes vannes chartres saint-etienne saint-étienne laval evry
    créteil nanterre boulogne montreuil vincennes neuilly france belgique suisse allemagne
    espagne italie angleterre europe bretagne normandie alsace provence corse picardie
    île-de-france idf occitanie aquitaine savoie vendée auvergne bourgogne champagne lorraine
    darty boulanger fnac carrefour leclerc auchan lidl aldi intermarché monoprix casino franprix
    amazon cdiscount decathlon ikea castorama bricorama sncf ratp orange sfr
    bouygues free sosh poste chronopost colissimo ups dhl fedex mondial relay apple
    iphone samsung sony dyson philips bosch seb moulinex tefal visa mastercard paypal google
    facebook instagram whatsapp twitter tiktok netflix microsoft windows android ebay vinted
    leboncoin zara h&m kiabi uniqlo sephora nocibé boulangerie conforama truffaut jardiland
    botanic norauto midas renault peugeot citroën toyota tesla volkswagen axa maif macif matmut
    groupama allianz generali bnp lcl boursorama qonto doctolib ameli cpam
    caf urssaf pôle emploi edf engie total totalenergies bonjour bonsoir merci madame monsieur
    mademoiselle cordialement salutations super top nul bravo attention urgent svp sav
    service clients client magasin vendeur vendeuse directeur directrice responsable
    président présidente maire gérant gérante équipe direction lundi mardi mercredi jeudi
    vendredi samedi dimanche janvier février mars avril mai juin juillet août septembre octobre
    novembre décembre noël pâques toussaint halloween père mère saint sainte st ste black friday
    internet wifi covid un une des je tu il elle on nous vous ils elles ce cet cette
    mon ma mes ton ta tes son sa ses notre votre leur très trop rien tout tous toute toutes
    après avant depuis pendant encore déjà enfin puis alors donc mais car ou et si quand comme
    pourquoi comment aucun aucune personne j'ai c'est n'ai ça dieu seigneur jésus
    tv hdmi usb led wc ok pdf cb rib iban tva ttc ht dpd gls tnt relais tomtom mutuelle
    mutualiste santé assurance
    assurances bonne bon blanc noir pur prime premium plus pro max mini résultat bref sérieux
    impossible tiers hs nas expert serveur noel bento
    """.split()
)
# Names of shops, brands and places written in several words, dropped when NER calls them PER.
NON_NAME_PHRASES = frozenset(
    """leroy merlin|yves rocher|la poste|feu vert|maisons du monde|crédit agricole|
    société générale|banque populaire|caisse d'épargne|mondial relay|black friday|père noël|
    mère noël|saint-pierre|saint pierre|victor hugo|jean jaurès|charles de gaulle|
    la redoute|bouygues telecom|pôle emploi|france travail|leclerc drive|marks & spencer|
    hugo boss|ralph lauren|tommy hilfiger|calvin klein|louis vuitton|pierre cardin|
    pierre et vacances|jean lain|bon marché|aloe vera|ali express|urban decay|
    melissa and doug|melissa & doug|tortue hermann|marie-galante|marie galante""".replace(
        "\n", ""
    ).split("|")
)
# The hand-written list, Faker's (about 9,000 names, name_lists.py), and the additions above;
# minus the words that are known non-names (places, brands, calendar).
_HAND_FIRST_NAMES = FIRST_NAMES
COMMON_FIRST_NAMES = (FIRST_NAMES | frozenset(_MORE_FIRST_NAMES.split())) - NON_NAMES
FIRST_NAMES = (
    FIRST_NAMES | name_lists.first_names() | frozenset(_MORE_FIRST_NAMES.split())
) - NON_NAMES
#: Surnames that are not ordinary French words: after a weak cue ("voir Dupuis", "un certain
#: Bouvier") they are enough to call a capitalised word a name.
SURNAMES = (
    frozenset(
        w  # one word each ("da silva" gives "silva"; particles and two-letter words are not)
        for w in name_lists.surnames() | frozenset(_MORE_SURNAMES.split())
        if len(w) > 2 and w not in {"de", "du", "des", "da", "dos", "das", "del", "van", "von"}
    )
    - NON_NAMES
    - frozenset(
        "marie noël pierre paris jean louis charles adam lucas colin henry vincent nicolas mathieu "
        "roger olivier philippe guillaume benoit robin françois andré arnaud hubert hervé gérard "
        "clément denis laurent bernard martinez lopez perez sanchez fernandez".split()
    )
)
_ROLE_WORDS = re.compile(rf"(?i)^(?:{_ROLES}|{_CIVILITY})$")
_STREET_BEFORE = re.compile(
    r"(?i)(?:rue|avenue|av\.|boulevard|bd|place|quai|all[ée]e|impasse|chemin|cours|square|"
    r"lyc[ée]e|coll[èe]ge|[ée]cole|h[ôo]pital|clinique|centre|gare|stade|salle|magasin|"
    r"saint|sainte|st|ste|pont|parc|mus[ée]e|station|m[ée]tro)\s+(?:(?:de|du|des|la|le)\s+)?$"
)
_DETERMINER_BEFORE = re.compile(
    r"(?i)\b(?:la|le|les|une|un|en|bleu|vert|couleur|marque|gamme|mod[èe]le|collection|"
    r"coloris|parfum|l['’])\s+$"
)
# Words after which a capitalised word names a product, not a person ("la gamme Suzanne",
# "le jeu Mario Kart", "la marque Lou & Co").
_PRODUCT_BEFORE = re.compile(
    r"(?i)\b(?:gamme|marque|mod[èe]le|collection|coloris|ligne|jeu|film|s[ée]rie|produit|"
    r"enseigne|parfum|r[ée]f[ée]rence|version|taille|teinte|motif)\s+$"
)
_ARTICLE_BEFORE = re.compile(
    r"(?i)(?:\b(?:la|le|les|une|un|en|du|des|de|bleu|vert|couleur|ton|teinte|vieux|vieil|"
    r"vieille|sa|son|ma|mon|cette|ce|notre|votre|marque|gamme|mod[èe]le|collection|enseigne|"
    r"r[ée]f[ée]rence|produit|coloris|parfum|bain|canap[ée]|cuisine|salon|lit|table|chaise|"
    r"fauteuil|lampe|robe|pull|sac|s[ée]rie|ligne|version|taille|kit|pack|coffret|offre|"
    r"formule|forfait|abonnement|l['’]|d['’]))\s+$"
)


def _clean_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Trim a candidate name to the words that can be a name; None when nothing is left."""
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    kept: list[tuple[int, int]] = []
    for i, (s, e) in enumerate(words):
        raw = text[s:e]
        word = raw.rstrip(",.;:!?") if len(raw) > 2 else raw.rstrip(",;:!?")
        e = s + len(word)
        low = word.lower()
        if low in _PARTICLES:
            if kept or (word[:1].isupper() and i + 1 < len(words)):
                kept.append((s, e))
            continue
        if not kept and low in AMBIGUOUS_FIRST_NAMES and _surname_follows(text, words[i + 1 :]):
            kept.append((s, e))
            continue
        if low in NON_NAMES or _ROLE_WORDS.match(raw) or _ROLE_WORDS.match(word):
            if kept:
                break
            continue
        kept.append((s, e))
    while kept and text[kept[-1][0] : kept[-1][1]].lower() in _PARTICLES:
        kept.pop()
    if not kept:
        return None
    return kept[0][0], kept[-1][1]


def _surname_follows(text: str, rest: list[tuple[int, int]]) -> bool:
    """True when the next word is capitalised and not a known non-name ("France Leroy")."""
    if not rest:
        return False
    word = text[rest[0][0] : rest[0][1]].rstrip(",.;:!?")
    return word[:1].isupper() and word.lower() not in NON_NAMES | FIRST_NAMES


_PLACE_FIRST_NAMES = frozenset("florence nancy lourdes valence france".split())
_PARTICLES = frozenset("de du des d' d’ van von der di da le la".split())


def find_name_cues(text: str) -> list[Found]:
    """Names announced by a civility, a role, a cue phrase or a closing formula, and known
    first names (alone when unambiguous and not opening a sentence, or followed by a surname).

    After a role, a greeting or a cue, an unknown capitalised word is often a brand or an
    adjective ("le vendeur Sérieux", "client PRIME", "Bonjour Impossible"): it is taken only
    when it is a known first name, two name words, or followed by what a person does.
    """
    found: list[Found] = []
    for cap in _CAP_AT.finditer(text):
        m = _NAME_AT.match(text, cap.start())
        if m is None:
            continue
        window = text[max(0, m.start() - 45) : m.start()]
        cues = cues_possible(window)
        span = None
        if ("civility" in cues and _CIVILITY_BEFORE.search(window)) or (
            _SIGNATURE_BEFORE.search(window) and _SIGNATURE_AFTER.match(text, m.end())
        ):
            span = _clean_name(text, m.start(), m.end())
        elif ("role" in cues and _ROLE_BEFORE.search(window)) or (
            "greeting" in cues
            and _GREETING_BEFORE.search(window)
            and _GREETING_AFTER.match(text, m.end())
        ):
            span = _clean_name(text, m.start(), m.end())
            span = span if span and _plausible_person(text, span, strong=True) else None
        elif "naming" in cues and _NAMING_CUE_BEFORE.search(window):
            span = _clean_name(text, m.start(), m.end())
            span = span if span and not text[span[0] : span[1]].isupper() else None
        elif "cue" in cues and _CUE_BEFORE.search(window):
            span = _clean_name(text, m.start(), m.end())
            span = span if span and _plausible_person(text, span, strong=False) else None
        if span:
            found.append((*span, "name"))
    found.extend(_first_names(text))
    found.extend(_lowercase_names(text))
    found.extend(_staff_by_place(text))
    found.extend(_initials(text))
    if not found:
        return found
    found = _outside_non_name_phrases(text, found)
    found.extend(_coordinated(text, found))
    return _with_initials(text, found)


_AND_BEFORE = re.compile(
    rf"([{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?)[ \u00a0\u202f]+(?:et|ou)[ \u00a0\u202f]+$"
)
_AND_AFTER = re.compile(
    rf"[ \u00a0\u202f]+(?:et|ou)[ \u00a0\u202f]+([{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?)(?![\w'’])"
)


def _coordinated(text: str, found: list[Found]) -> list[Found]:
    """ "Oriane et Maxence", "Kevin ou Kilian": a capitalised word joined by "et"/"ou" to a name
    found is a name too, unless it is a known non-name ("Kevin et Darty")."""
    more: list[Found] = []
    for start, end, _ in found:
        before = _AND_BEFORE.search(text, max(0, start - 40), start)
        after = _AND_AFTER.match(text, end)
        for m in (before, after):
            if m and m.group(1).lower() not in NON_NAMES and not _ROLE_WORDS.match(m.group(1)):
                more.append((m.start(1), m.end(1), "name"))
    return more


# "J. Martin", "A.-M. Lemoine", "K. Benali": an initial (not "M.", Monsieur) then a surname.
_INITIAL_NAME = re.compile(
    rf"(?<![\w.’'-])(?:[A-LN-Z]\.(?:-?[A-Z]\.)?|[A-Z]\.-[A-Z]\.)[ \u00a0\u202f]?"
    rf"([{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?)(?![\w'’])"
)
_INITIAL_BEFORE = re.compile(r"(?<![\w.’'-])(?:[A-LN-Z]\.(?:-?[A-Z]\.)?)[ \u00a0\u202f]?$")


# Words that open a sentence after an abbreviation or a unit ("… 3 S. Maintenant", "20 °C. Du
# coup"): never surnames after an initial.
_SENTENCE_WORDS = frozenset(
    """
    le la les un une des du de d au aux ce cet cette ces il elle ils elles on nous vous je tu
    mais et ou donc or ni car puis ensuite enfin alors sinon pourtant cependant toutefois
    maintenant aussi ainsi encore déjà après avant depuis pendant quand lorsque comme si bref
    pas plus moins très trop tout tous toute toutes rien personne aucun aucune chaque quel
    quelle merci bonjour voilà voici oui non ok bien mal sur sous par pour avec sans chez dans
    en entre vers mon ma mes ton ta tes son sa ses notre nos votre vos leur leurs y a est sont
    """.split()
)


def _initials(text: str) -> list[Found]:
    found: list[Found] = []
    for m in _INITIAL_NAME.finditer(text):
        word = m.group(1).lower()
        if word in NON_NAMES or word in _SENTENCE_WORDS or _ROLE_WORDS.match(m.group(1)):
            continue  # "… le point S. Maintenant", "20 °C. Du coup"
        if re.search(r"[\d°%]\s?$", text[max(0, m.start() - 2) : m.start()]):
            continue  # a unit or a figure ends a sentence: "3 S. Ensuite"
        found.append((m.start(), m.end(), "name"))
    return found


def _with_initials(text: str, found: list[Found]) -> list[Found]:
    """Widen a name to the initial written before it ("J. Martin", not "J. [NOM]")."""
    out = []
    for start, end, kind in found:
        m = _INITIAL_BEFORE.search(text, max(0, start - 6), start)
        out.append((m.start() if m else start, end, kind))
    return out


# "Pierre du rayon outillage", "Camille de l'accueil": a capitalised word followed by the part
# of the store or the service a person works in is a person, even an ambiguous first name.
_STAFF_PLACE = (
    r"(?:du|de la|de l['’]|des|au|à la|à l['’])[ \u00a0\u202f]*(?i:rayon|accueil|"
    r"caisse|caisses|service|sav|atelier|drive|comptoir|standard|[ée]quipe|agence|guichet|"
    r"r[ée]ception|livraison|hotline|d[ée]p[ôo]t|entrep[ôo]t|magasin de|boutique de|"
    r"si[èe]ge|direction|informatique|comptabilit[ée]|logistique|parking|pressing|"
    r"boucherie|boulangerie|poissonnerie|fromagerie|traiteur|quai|bureau)\b"
)
_STAFF_PLACE_AFTER = re.compile(r"[ \u00a0\u202f]+" + _STAFF_PLACE)
_STAFF_PLACE_ANYWHERE = re.compile(_STAFF_PLACE)
_STAFF_CANDIDATE = re.compile(
    rf"(?<![\w'’-])[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?(?=[ \u00a0\u202f]+(?:du|de|des|au|à)\b)"
)


def _staff_by_place(text: str) -> list[Found]:
    found: list[Found] = []
    if not _STAFF_PLACE_ANYWHERE.search(text):
        return found
    for m in _STAFF_CANDIDATE.finditer(text):
        word = m.group().lower()
        if (
            word in NON_NAMES
            or _ROLE_WORDS.match(m.group())
            or not _STAFF_PLACE_AFTER.match(text, m.end())
        ):
            continue
        before = text[max(0, m.start() - 30) : m.start()]
        if _ARTICLE_BEFORE.search(before) or _STREET_BEFORE.search(before):
            continue  # "le chef du rayon", "la Poste du quartier"
        if not (is_first_name(word) or word in SURNAMES) and _opens_sentence(text, m.start()):
            continue  # "Satisfait du service", "Réception de la commande"
        found.append((m.start(), m.end(), "name"))
    return found


_NON_NAME_PHRASE = re.compile(
    r"(?i)(?<![\w])(?:"
    + "|".join(re.escape(p) for p in sorted(NON_NAME_PHRASES, key=len, reverse=True))
    + r")(?![\w])"
)


def _outside_non_name_phrases(text: str, found: list[Found]) -> list[Found]:
    """Drop the spans inside a shop, brand or place written in several words ("Leroy Merlin",
    "Victor Hugo" as a street): the first-name rules would otherwise take their first word."""
    phrases = [(m.start(), m.end()) for m in _NON_NAME_PHRASE.finditer(text)]
    if not phrases:
        return found
    return [f for f in found if not any(s <= f[0] and f[1] <= e for s, e in phrases)]


_SPACES = " \u00a0\u202f"
_ALL_CUES = frozenset({"civility", "role", "greeting", "naming", "cue"})
_NO_CUES: frozenset[str] = frozenset()
_DOTTED_CIVILITIES = frozenset("M MM Mr Mrs Mme Mlle Dr Pr".split())
_DOTTED_CUES = frozenset({"civility", "role"})
_COMMA_CUES = frozenset({"role"})
_COLON_CUES = frozenset({"naming"})


def cues_possible(window: str) -> frozenset[str]:
    """Which cue patterns ending in spaces (civility, role, greeting, naming, cue) can match
    at the end of ``window``, judged from its last characters alone.

    The cue expressions are long alternations searched at every position of the window;
    most capitals open a sentence ("… politesse. Contactez-moi") where none can match, and
    this cheap test skips them there. It only ever rules out a pattern that cannot match
    (a property test checks it against the expressions), so the names found are the same.
    """
    if window.endswith("\n"):  # "$" also matches before a final newline ("M. \nDupont")
        window = window[:-1]
    stripped = window.rstrip(_SPACES)
    if not stripped or len(stripped) == len(window):
        return _NO_CUES  # every one of them ends with a word then spaces
    last = stripped[-1]
    if last.isalpha():
        return _ALL_CUES
    if last == ".":  # "M. ", "Dr. ", "le vendeur M. ": only dotted civilities end so
        start = len(stripped) - 1
        while start and stripped[start - 1].isalpha():
            start -= 1
        word = stripped[start:-1]
        return _DOTTED_CUES if word in _DOTTED_CIVILITIES else _NO_CUES
    if last == ",":  # "le vendeur, "
        return _COMMA_CUES
    if last == ":":  # "nom : ", "contact : "
        return _COLON_CUES
    return _NO_CUES


# Known first names that are also ordinary lower-case words ("claire", "marc", "maxime", "aimé").
_LOWER_STOP = frozenset(
    "claire marc maxime serge axel aurore clémence constance jade blanche ange victoire "
    "modeste céleste désiré aimé prosper flore ambre mélodie patience océane camille "
    "dominique france florence nancy martin noël rose pierre olive marine violette prune "
    "capucine margot margaux valence lourdes pascal solène espérance guy jean".split()
)
_LOWER_FIRST_NAMES = _HAND_FIRST_NAMES - _LOWER_STOP


def _lowercase_names(text: str) -> list[Found]:
    """First names typed in lower case ("merci a kevin", "le vendeur kevin"): only known,
    unambiguous first names, and only right after a civility, a role, a naming cue, a greeting
    or a closing formula."""
    words = {w.strip(",.;:!?()\"'«»") for w in text.split()}
    found: list[Found] = []
    for word in words & _LOWER_FIRST_NAMES:
        for m in re.finditer(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", text):
            window = text[max(0, m.start() - 45) : m.start()]
            if (
                _CIVILITY_BEFORE.search(window)
                or _ROLE_BEFORE.search(window)
                or _NAMING_CUE_BEFORE.search(window)
                or (_GREETING_BEFORE.search(window) and _GREETING_AFTER.match(text, m.end()))
                or (_SIGNATURE_BEFORE.search(window) and _SIGNATURE_AFTER.match(text, m.end()))
            ):
                found.append((m.start(), m.end(), "name"))
    return found


def _plausible_person(text: str, span: tuple[int, int], *, strong: bool) -> bool:
    words = text[span[0] : span[1]].split()
    first = words[0]
    if first.isupper() and len(first) > 1 and not is_common_first_name(first):
        return False  # "chez AFER": an acronym, not a shouted first name
    if is_first_name(first):
        return strong or first.lower() not in _PLACE_FIRST_NAMES
    if first.lower() in SURNAMES and not first.isupper():
        return True  # "voir Dupuis", "les Ferreira", "le technicien Rodrigues"
    if not strong or (first.isupper() and len(first) > 1):
        return False
    if len(words) >= 2 and all(w[:1].isupper() and not w.isupper() for w in words):
        return True
    return bool(_PERSON_VERB_AFTER.match(text, span[1]))


def _first_word(text: str, span: tuple[int, int]) -> str:
    return text[span[0] : span[1]].split()[0].split("-")[0] if span[1] > span[0] else ""


# Zero-width (a lookahead) so that "Appel de Francis Dumas" is tried at every capital.
_FIRST_THEN_SURNAME = re.compile(
    rf"(?<![\w'’-])(?=([{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?|[{_UP}]{{2,}}(?:-[{_UP}]{{2,}})?)"
    rf"(?![\w'’])"
    rf"((?:[ \u00a0\u202f]+{_PARTICLE}?{_WORD}){{0,2}}))"
)


_SURNAME_BEFORE = re.compile(rf"(?<![\w'’-])([{_UP}]{{2,}}(?:-[{_UP}]{{2,}})?)[ \u00a0\u202f]+$")
_INDEFINITE_BEFORE = re.compile(r"(?i)\b(?:un|une|des|du|mon|ma|son|sa)\s+$")
_AFTER_CAPITALISED = re.compile(
    rf"(?<![.!?…])[ \u00a0\u202f](?:[{_UP}][{_LOW}]+|[{_UP}]{{2,}})[ \u00a0\u202f]+$"
)


def is_common_first_name(word: str) -> bool:
    """A first name of the hand-written lists (not only of the packaged one), compound ones
    included: enough on its own to take an all-caps word or a word opening a sentence."""
    low = word.lower()
    return (
        low in COMMON_FIRST_NAMES
        or low in AMBIGUOUS_FIRST_NAMES
        or ("-" in low and all(p in COMMON_FIRST_NAMES for p in low.split("-")))
    )


def is_first_name(word: str) -> bool:
    """A known first name, compound ones included ("Pierre-Yves", "Marie-Laure")."""
    low = word.lower()
    return (
        low in FIRST_NAMES
        or low in AMBIGUOUS_FIRST_NAMES
        or ("-" in low and all(p in FIRST_NAMES for p in low.split("-")))
    )


_STRONG_PERSON_VERB_AFTER = re.compile(r"[ \u00a0\u202f]*(?:m['’]|nous a |vous a |t['’]a |l['’]a )")
_STRONG_PERSON_VERB_ANYWHERE = re.compile(r"m['’]|nous a |vous a |t['’]a |l['’]a ")
_SURNAME_AT = re.compile(rf"(?<![\w'’-])[{_UP}][{_LOW}]+(?:-[{_UP}][{_LOW}]+)?(?![\w'’-])")


def _first_names(text: str) -> list[Found]:
    found: list[Found] = []
    for m in _SURNAME_AT.finditer(text) if _STRONG_PERSON_VERB_ANYWHERE.search(text) else ():
        word = m.group().lower()
        if (word in SURNAMES or word in _PLACE_FIRST_NAMES) and _STRONG_PERSON_VERB_AFTER.match(
            text, m.end()
        ):
            before = text[max(0, m.start() - 30) : m.start()]
            if not (_ARTICLE_BEFORE.search(before) or _STREET_BEFORE.search(before)):
                found.append((m.start(), m.end(), "name"))  # "Dupuis m'a dit", "Nancy m'a aidée"
    for m in _FIRST_THEN_SURNAME.finditer(text):
        first = m.group(1).lower()
        if not is_first_name(first):
            continue
        before = text[max(0, m.start() - 30) : m.start()]
        at_start = _opens_sentence(text, m.start())
        if m.group(1).isupper():
            if (
                is_common_first_name(first)
                and first not in AMBIGUOUS_FIRST_NAMES
                and not _STREET_BEFORE.search(before)
            ):
                found.append((m.start(1), m.end(1), "name"))  # "KEVIN A ÉTÉ TRÈS PATIENT"
            continue
        if _PRODUCT_BEFORE.search(before):
            continue
        surname_first = _SURNAME_BEFORE.search(before)
        if surname_first and surname_first.group(1).lower() not in NON_NAMES:
            found.append((m.start() - len(surname_first.group(0)), m.end(1), "name"))
            continue  # "DUBOIS Martine"
        if (
            _STREET_BEFORE.search(before)
            or _AFTER_CAPITALISED.search(before)
            or _INDEFINITE_BEFORE.search(before)
        ):
            continue  # "Victor Hugo", "Père Noël": tried at the first capital already
        surname = _clean_name(text, m.start(2), m.end(2)) if m.group(2) else None
        if surname and text[surname[0] : surname[1]].lower() not in NON_NAMES:
            if first in AMBIGUOUS_FIRST_NAMES and _DETERMINER_BEFORE.search(before):
                continue
            found.append((m.start(1), surname[1], "name"))
        elif first in AMBIGUOUS_FIRST_NAMES:
            if (
                first not in _PLACE_FIRST_NAMES
                and _PERSON_VERB_AFTER.match(text, m.end(1))
                and not _ARTICLE_BEFORE.search(before)
            ):
                found.append((m.start(1), m.end(1), "name"))
        elif not at_start or (
            _verb_follows(text, m.end(1))
            if is_common_first_name(first)
            else _PERSON_VERB_AFTER.match(text, m.end(1))
        ):
            found.append((m.start(1), m.end(1), "name"))
    return found


_VERB_AFTER = re.compile(
    r"[ \u00a0\u202f]*(?:,|a |m['’]|nous |vous |est |était |s['’]est |n['’]|ne |et moi|m['’]a |"
    r"l['’]|y |qui |reste |fait |sait |nous a |vous a |et [A-ZÀ-ÖØ-Þ]|du |de la |de l['’]|"
    r"est |sont |a été |était |avait |m['’]avait |nous avait )"
)


# After an ambiguous first name, only verbs that a person does ("Marine m'a conseillé"), not
# the copula of a definition ("Margaux est un vin", "Rose est une couleur").
_PERSON_VERB_AFTER = re.compile(
    r"[ \u00a0\u202f]*(?:m['’]|nous a |vous a |s['’]est |a |a été |était |avait |qui m['’]|et moi|"
    r"t['’]|l['’]a |les a |est venue? |est partie? |travaille |conseille |r[ée]pond)"
)


def _verb_follows(text: str, end: int) -> bool:
    return bool(_VERB_AFTER.match(text, end))


def keep_entity(text: str, start: int, end: int) -> tuple[int, int] | None:
    """Decide whether a spaCy PER entity is a person name, and trim it (civility, role,
    trailing place or lower-case words: "Kevin du magasin de Lille" keeps "Kevin").

    On customer text the French model calls many capitalised words PER (brands, products,
    shouted words), so an entity is kept only when it holds a known first name, or when it is
    two or three capitalised words ("Wojciech Nowak") none of which is a known non-name, in a
    text that is not written in capitals or title case throughout.
    """
    words = text[start:end].split()
    cut = start
    trimmed_end = start
    for i, word in enumerate(words):
        pos = text.index(word, cut)
        cut = pos + len(word)
        if i and word[:1].islower() and word.lower() not in _PARTICLES:
            break
        trimmed_end = cut
    span = _clean_name(text, start, trimmed_end)
    if span is None or not text[span[0]].isupper():
        return None
    name = text[span[0] : span[1]]
    if " ".join(name.lower().split()) in NON_NAME_PHRASES:
        return None
    tokens = [t.strip(",.;:!?") for t in name.split()]
    first = tokens[0].lower()
    before = text[max(0, span[0] - 30) : span[0]]
    if _STREET_BEFORE.search(before):
        return None
    if _PRODUCT_BEFORE.search(before) or (
        first in AMBIGUOUS_FIRST_NAMES and _ARTICLE_BEFORE.search(before)
    ):
        return None  # "le modèle Pierre de Lune", "la gamme Rose Poudré"
    if len(tokens) == 1:
        if not is_first_name(first) or first in AMBIGUOUS_FIRST_NAMES:
            return None  # the cue patterns decide for single and ambiguous first names
        return span
    if any(is_common_first_name(t) and t.lower() not in AMBIGUOUS_FIRST_NAMES for t in tokens):
        return span
    words_in_text = _CASED_WORD.findall(text)
    capitalised = sum(w[:1].isupper() for w in words_in_text)
    if capitalised > 0.5 * len(words_in_text) or _opens_sentence(text, span[0]):
        return None
    names = [t for t in tokens if t.lower() not in _PARTICLES]
    if 2 <= len(names) <= 3 and all(t[:1].isupper() and t[1:].islower() for t in names):
        return span
    return None


_CASED_WORD = re.compile(r"[^\W\d_]{2,}")


def needs_ner(text: str) -> bool:
    """True when a text may hold a name that only NER can find: two capitalised words in a row
    (a particle may sit between), not both known non-names, the first not opening a sentence
    unless it is a known first name. Single capitalised words are left to the cue patterns."""
    for m in _CAPITALISED_PAIR.finditer(text):
        a, b = m.group(1), m.group(2)
        if a.lower() in NON_NAMES and b.lower() in NON_NAMES:
            continue
        if _opens_sentence(text, m.start(1)) and not is_first_name(a):
            continue
        return True
    return False


_CAPITALISED_PAIR = re.compile(
    rf"(?<![\w'’-])(?=([{_UP}][{_LOW}{_UP}]+(?:-[{_UP}][{_LOW}{_UP}]+)*)[ \u00a0\u202f]+"
    rf"{_PARTICLE}?([{_UP}][{_LOW}{_UP}]+))"
)
