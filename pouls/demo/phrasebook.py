"""Word banks of the demo grammar (see verbatims.py): project-written French templates.

Kept apart from the grammar's code so that each module stays readable.
"""

from __future__ import annotations

# (noun, gender "m"/"f", starts with a vowel sound)
PRODUCT_NOUNS: tuple[tuple[str, str, bool], ...] = (
    ("lave-linge", "m", False),
    ("sèche-linge", "m", False),
    ("lave-vaisselle", "m", False),
    ("réfrigérateur", "m", False),
    ("frigo", "m", False),
    ("frigo américain", "m", False),
    ("congélateur", "m", False),
    ("four", "m", False),
    ("micro-ondes", "m", False),
    ("télé", "f", False),
    ("téléviseur", "m", False),
    ("smartphone", "m", False),
    ("ordinateur portable", "m", True),
    ("PC portable", "m", False),
    ("tablette", "f", False),
    ("casque", "m", False),
    ("casque sans fil", "m", False),
    ("enceinte connectée", "f", True),
    ("barre de son", "f", False),
    ("aspirateur", "m", True),
    ("aspirateur robot", "m", True),
    ("aspirateur balai", "m", True),
    ("machine à café", "f", False),
    ("cafetière", "f", False),
    ("plaque à induction", "f", False),
    ("imprimante", "f", True),
    ("console", "f", False),
    ("montre connectée", "f", False),
    ("robot pâtissier", "m", False),
    ("climatiseur", "m", False),
    ("hotte", "f", False),
    ("cuisinière", "f", False),
    ("friteuse sans huile", "f", False),
    ("appareil photo", "m", True),
)


LEX: dict[str, tuple[str, ...]] = {
    "quand": (
        "samedi",
        "samedi dernier",
        "hier",
        "hier soir",
        "ce matin",
        "cet après-midi",
        "la semaine dernière",
        "mardi",
        "mercredi après-midi",
        "vendredi soir",
        "lundi matin",
        "dimanche matin",
        "pendant les soldes",
        "il y a quinze jours",
        "en fin de journée",
        "à l'heure du déjeuner",
        "jeudi",
        "pendant le Black Friday",
    ),
    "duree": (
        "vingt minutes",
        "une demi-heure",
        "plus d'une heure",
        "quarante minutes",
        "trois quarts d'heure",
        "25 min",
        "45 minutes",
        "un bon quart d'heure",
        "près d'une heure",
        "dix bonnes minutes",
    ),
    "duree_long": (
        "trois semaines",
        "un mois",
        "deux mois",
        "quinze jours",
        "10 jours",
        "plus d'un mois",
        "six semaines",
        "une semaine",
    ),
    "montant": ("50 €", "80 euros", "120 €", "30 €", "une centaine d'euros", "40 euros", "70 €"),
    "rayon": (
        "électroménager",
        "télé",
        "informatique",
        "téléphonie",
        "son",
        "petit électroménager",
        "gros électroménager",
        "image et son",
    ),
    "tres": ("très", "vraiment", "super", "franchement", "vraiment très", "hyper"),
    "proche": (
        "avec ma femme",
        "avec mon mari",
        "avec ma fille",
        "avec mon fils",
        "avec ma mère",
        "en famille",
        "avec un ami",
        "seul{g:|e}",
    ),
    "mauvais": ("nul", "lamentable", "déplorable", "inadmissible", "honteux", "catastrophique"),
}

# --------------------------------------------------------------------------------------------
# Customer clauses, per theme and polarity (independent clauses, no final punctuation)
# --------------------------------------------------------------------------------------------

POS: dict[str, tuple[str, ...]] = {
    "accueil": (
        "[très bon|excellent|super|bon|un] accueil[ dès l'entrée| en magasin|]",
        "[on m'a|j'ai été] [accueilli{g:|e}|reçu{g:|e}] [avec le sourire|chaleureusement|"
        "tout de suite] [dès mon arrivée|en entrant|]",
        "l'accueil était [chaleureux|souriant|vraiment agréable|top|parfait]",
        "accueil [souriant|chaleureux|au top|impeccable][ comme toujours|]",
        "on se sent [bien reçu{g:|e}|attendu{g:|e}|{g:le bienvenu|la bienvenue}] dans ce magasin",
        "[un bonjour|un sourire] dès l'entrée, ça fait plaisir",
        "[dès l'entrée|à peine arrivé{g:|e}], {staff} est venu{s:|e} me saluer[ avec le sourire|]",
        "on est [{tres} |]bien accueilli dans ce magasin",
    ),
    "amabilite": (
        "personnel [très |vraiment |super |]aimable[ et souriant|]",
        "des vendeurs [adorables|charmants|très sympathiques|d'une grande gentillesse]",
        "équipe [souriante|agréable|bienveillante|très sympa]",
        "{staff} a été [très |]aimable[ et patient{s:|e}|]",
        "[tout le monde a été [adorable|très gentil|aux petits soins]|toute l'équipe a été "
        "[adorable|très gentille|aux petits soins]]",
        "{staff} était [charmant{s:|e}|d'une grande gentillesse|très agréable]",
        "{staff} a été d'une patience [incroyable|remarquable|exemplaire] avec moi",
        "des gens [adorables|{tres} gentils|souriants], ça change des grandes surfaces",
    ),
    "conseil": (
        "[très bons|excellents|précieux|de bons] conseils[ pour choisir {mon_p}|]",
        "{staff} [connaissait parfaitement|maîtrisait bien] [ses produits|le sujet|son rayon]",
        "on m'a orienté{g:|e} vers [le bon modèle|un modèle moins cher et plus adapté|"
        "exactement ce qu'il me fallait]",
        "conseiller [compétent|de bon conseil|très pro] qui a pris le temps de [m'expliquer|"
        "comparer les modèles|répondre à toutes mes questions]",
        "{staff} m'a [bien|très bien|parfaitement] conseillé{g:|e} pour {le_p}",
        "des explications claires sur [les différents modèles|la garantie|l'installation]",
        "{staff} ne m'a pas poussé{g:|e} à acheter plus cher, [bravo|c'est rare|appréciable]",
        "on m'a [déconseillé|évité] un modèle qui ne correspondait pas à mon besoin, "
        "[merci|honnête]",
    ),
    "attente": (
        "[pas d'attente|aucune attente|très peu d'attente|attente quasi nulle] [en caisse|"
        "au comptoir|au retrait|]",
        "servi{g:|e} [rapidement|en quelques minutes|tout de suite]",
        "passage en caisse [rapide|express|fluide]",
        "[j'ai été|on m'a] pris{g:|e} en charge [immédiatement|sans attendre|très vite]",
        "[même un samedi|malgré le monde], [très peu d'attente|ça a été rapide]",
    ),
    "disponibilite": (
        "vendeurs [disponibles|présents|faciles à trouver][ dans les rayons| même un samedi|]",
        "quelqu'un est venu [tout de suite|rapidement] me proposer son aide",
        "toujours quelqu'un [pour renseigner|de disponible|dans les rayons]",
        "{staff} s'est rendu{s:|e} disponible malgré le monde",
        "malgré le monde {quand}, {staff} a pris le temps de s'occuper de moi",
    ),
    "prix": (
        "[prix corrects|bons prix|prix compétitifs|tarifs raisonnables|prix intéressants]",
        "[moins cher qu'ailleurs|le meilleur prix que j'ai trouvé] pour {le_p}",
        "[bon|très bon|excellent] rapport qualité-prix",
        "{staff} m'a aligné le prix [sur internet|sur la concurrence] sans discuter",
        "[prix|tarif] [très |]correct pour {le_p}, [je ne regrette pas|aucun regret]",
    ),
    "promotions": (
        "[belle|bonne|super] promo sur {le_p}",
        "j'ai profité [des soldes|d'une offre de remboursement|du Black Friday|"
        "des promos de la rentrée]",
        "[remise|réduction] appliquée sans problème en caisse",
        "l'offre de remboursement est arrivée [rapidement|sans souci]",
        "[grâce à la promo|avec l'offre du moment], j'ai économisé {montant} sur {le_p}",
    ),
    "qualite_produit": (
        "{le_p} [fonctionne parfaitement|est de très bonne qualité|est au top|marche très bien]",
        "[très satisfait{g:|e}|ravi{g:|e}|content{g:|e}] de {mon_p}",
        "produit [solide|de qualité|conforme à la description]",
        "{mon_p} [tourne sans problème|fait le travail] depuis {duree_long}",
        "{le_p} [tient ses promesses|est exactement ce que je voulais], [{tres} "
        "content{g:|e}|aucun souci depuis]",
    ),
    "disponibilite_produit": (
        "{le_p} était [en stock|disponible] [tout de suite|immédiatement|]",
        "[grand|large|beau] choix[ de modèles|]",
        "magasin bien achalandé",
        "{le_p} [que je voulais|vu{p:|e} sur le site] était bien en rayon",
        "[trouvé|récupéré] {le_p} en magasin [le jour même|en une heure|sans réserver]",
    ),
    "sav": (
        "SAV [efficace|réactif|au top|très pro]",
        "[réparation|prise en charge] [rapide|efficace] {du_p}",
        "le SAV a [remplacé|réparé] {mon_p} [sans discuter|en une semaine|rapidement]",
        "le service après-vente m'a [rappelé{g:|e}|tenu{g:|e} informé{g:|e}] [comme promis|"
        "à chaque étape]",
        "{mon_p} est revenu{p:|e} du SAV [comme neuf|réparé{p:|e}] en [une semaine|dix "
        "jours|quinze jours]",
    ),
    "livraison": (
        "livraison [rapide|dans les temps|ponctuelle|impeccable]",
        "livreurs [très pros|sympas|soigneux] qui ont [installé|branché] {le_p}",
        "{le_p} livré{p:|e} [le lendemain|en quarante-huit heures|à la date prévue]",
        "[livraison et installation|livraison et reprise de l'ancien appareil] [au top|"
        "sans accroc|parfaites]",
        "[les livreurs ont|le livreur a] repris l'ancien appareil sans supplément",
        "livraison {quand} pile dans le créneau annoncé",
    ),
    "retours": (
        "retour [accepté|remboursé] sans [problème|discuter|difficulté]",
        "échange [fait|effectué] [immédiatement|en cinq minutes|sans chichis]",
        "on m'a [remboursé{g:|e}|échangé {le_p}] sans poser de questions",
        "{le_p} ne convenait pas, [échangé{p:|e}|remboursé{p:|e}] [sans la moindre difficulté|en "
        "quelques minutes]",
    ),
    "paiement": (
        "paiement [rapide|simple|sans souci]",
        "paiement en plusieurs fois [facile|proposé spontanément|bien expliqué]",
        "[le paiement sans contact|le paiement mobile] [fonctionne bien|est pratique]",
    ),
    "facturation": (
        "facture [envoyée|reçue] [tout de suite|par mail rapidement]",
        "[facture claire|facturation sans erreur]",
        "on m'a réimprimé ma facture [sans problème|en deux minutes]",
    ),
    "site_app": (
        "[site|appli] [pratique|clair|facile à utiliser]",
        "[click and collect|retrait en magasin] [parfait|très pratique|rapide]",
        "commande sur l'appli [sans souci|en deux minutes|très simple]",
        "[le stock affiché sur le site était juste|la réservation en ligne a bien fonctionné]",
    ),
    "telephone": (
        "[bien|rapidement] [renseigné{g:|e}|orienté{g:|e}] au téléphone",
        "quelqu'un [a décroché|m'a répondu] [tout de suite|rapidement] au téléphone",
        "on m'a rappelé{g:|e} [comme promis|dans l'heure|le jour même]",
        "au téléphone, on a pris le temps de [me répondre|vérifier le stock pour moi]",
    ),
    "proprete": (
        "magasin [propre|bien rangé|lumineux et propre|agréable]",
        "rayons [bien rangés|propres|bien organisés]",
    ),
    "parking": (
        "[parking|stationnement] [facile|pratique|gratuit]",
        "grand parking[, c'est pratique|]",
        "[facile de se garer|on se gare facilement]",
    ),
    "fidelite": (
        "[client{g:|e} fidèle|je viens ici] depuis des années[ et jamais déçu{g:|e}|]",
        "la carte de fidélité [vaut le coup|est vraiment intéressante]",
        "on a pensé à mes [points|avantages] fidélité sans que je demande",
        "[bon d'achat fidélité bien appliqué|remise fidélité bien appliquée] en caisse",
        "[mes points fidélité m'ont|mon bon fidélité m'a] fait économiser {montant}",
    ),
}

NEG: dict[str, tuple[str, ...]] = {
    "accueil": (
        "accueil [glacial|inexistant|froid|déplorable|lamentable]",
        "[aucun|pas un] bonjour en entrant",
        "personne pour [m'accueillir|nous accueillir|dire bonjour] à l'entrée",
        "l'accueil [laisse à désirer|n'est pas du tout à la hauteur|est vraiment à revoir]",
        "on ne se sent pas [du tout |]{g:le bienvenu|la bienvenue} dans ce magasin",
        "j'ai été [mal|très mal|plutôt mal] [accueilli{g:|e}|reçu{g:|e}]",
        "à peine [entré{g:|e}|arrivé{g:|e}], [aucun regard|pas un bonjour], [rien|personne]",
        "l'accueil {quand} était [{tres} |]désagréable",
    ),
    "amabilite": (
        "personnel [pas du tout|vraiment pas|très peu|pas très] aimable",
        "{staff} [a été|était] [désagréable|limite impoli{s:|e}|{s:sec|sèche}|{s:odieux|odieuse}]",
        "on m'a répondu [sèchement|sur un ton désagréable|avec mépris|de très haut]",
        "aucun sourire, aucune politesse",
        "des vendeurs qui soufflent quand on leur pose une question",
        "{staff} m'a parlé comme à un chien",
        "{staff} m'a [fait la leçon|soupiré au nez] quand j'ai posé une question",
        "personne n'a été aimable, [ni en rayon ni en caisse|du début à la fin]",
    ),
    "conseil": (
        "[aucun|zéro|pas de|pas le moindre] conseil[ sur {le_p}|]",
        "{staff} [n'y connaissait rien|ne connaissait pas le produit|ne savait pas répondre à "
        "mes questions|ne savait rien sur {le_p}]",
        "on m'a [vendu|poussé vers] [une extension de garantie|un modèle plus cher] "
        "[dont je n'avais pas besoin|sans m'écouter]",
        "des conseils [contradictoires|approximatifs|à côté de la plaque]",
        "{staff} lisait la fiche produit [en même temps que moi|à voix haute]",
        "personne n'a su m'expliquer la différence entre deux modèles",
        "{staff} ne m'a [rien expliqué|jamais demandé ce dont j'avais besoin]",
        "on m'a vendu {un_p} [qui ne convient pas du tout à mon usage|trop compliqué{p:|e} "
        "pour moi|inadapté{p:|e} à mon usage]",
    ),
    "attente": (
        "[{duree} d'attente|attente interminable] [en caisse|au comptoir SAV|"
        "au retrait des commandes|pour être servi{g:|e}]",
        "j'ai attendu {duree} [avant qu'on s'occupe de moi|pour récupérer {mon_p}|"
        "pour un simple renseignement]",
        "une seule caisse ouverte [un samedi|avec une file énorme|pour tout le magasin]",
        "la file d'attente n'avançait pas",
        "[beaucoup trop|bien trop] d'attente [au retrait|en caisse|partout]",
        "{quand}, [plus d'une heure|{duree}] [pour payer|au comptoir|au retrait] : "
        "[inadmissible|n'importe quoi]",
        "on attend [toujours|des heures|encore et encore] [sans que personne ne s'excuse|sans "
        "explication]",
    ),
    "disponibilite": (
        "[impossible de trouver|pas moyen de trouver] un vendeur [dans le magasin|"
        "au rayon {rayon}|pendant {duree}]",
        "[pas assez|trop peu] de personnel [un samedi|en rayon|pour le monde qu'il y a]",
        "j'ai fait le tour du magasin [deux fois |]pour trouver quelqu'un",
        "aucun vendeur au rayon {rayon}",
        "[les vendeurs sont [débordés|introuvables|toujours occupés ailleurs]|le personnel est "
        "[débordé|introuvable|toujours occupé ailleurs]]",
        "{staff} m'a dit [« je reviens »|« deux minutes »|de patienter] et n'est jamais "
        "revenu{s:|e}",
        "pas un seul vendeur disponible [{quand}|un samedi après-midi|à l'heure du déjeuner]",
    ),
    "prix": (
        "[prix|tarifs] [trop élevés|exorbitants|excessifs|pas compétitifs]",
        "[bien plus cher|plus cher] [qu'ailleurs|que sur internet|que chez la concurrence]",
        "le prix [en rayon|sur l'étiquette] n'était pas celui [passé en caisse|"
        "affiché sur le site]",
        "{montant} de plus que sur le site pour {le_p}[, incompréhensible|]",
        "[refus|pas] d'alignement de prix alors que [le site était moins cher|la concurrence "
        "était moins chère]",
        "[c'est|tout est] [{tres} |]cher pour ce que c'est",
        "on ne m'a pas appliqué le prix [affiché|annoncé] {quand}",
    ),
    "promotions": (
        "la promo [affichée|annoncée] n'était pas appliquée en caisse",
        "[l'offre|la promotion] [annoncée dans le catalogue|vue sur le prospectus] "
        "était déjà terminée",
        "promotions [trompeuses|en trompe-l'œil|bidon]",
        "l'offre de remboursement [n'est jamais arrivée|est introuvable|"
        "demande un dossier impossible]",
        "[la réduction|la remise] promise n'apparaissait pas sur le ticket",
    ),
    "qualite_produit": (
        "{le_p} est tombé{p:|e} en panne [au bout de quelques jours|après {duree_long}|"
        "dès la première utilisation]",
        "{mon_p} [ne fonctionne plus|fait un bruit anormal|chauffe beaucoup|a un défaut] "
        "[depuis {duree_long}|déjà|]",
        "produit [de mauvaise qualité|fragile|décevant]",
        "{le_p} est arrivé{p:|e} [rayé{p:|e}|abîmé{p:|e}|avec un défaut]",
        "{le_p} ne correspond pas [à la description|à ce qu'on m'avait promis]",
        "{le_p} [ne marche déjà plus|ne marche plus au bout de quelques jours], [{tres} "
        "décevant|pour ce prix "
        "c'est honteux]",
    ),
    "disponibilite_produit": (
        "[produit|modèle] [en rupture|indisponible|jamais en stock]",
        "{le_p} [que je voulais|vu{p:|e} sur le site] n'était pas en stock",
        "[trois|deux|plusieurs] déplacements pour rien, {le_p} [n'est toujours pas arrivé{p:|e}|"
        "est toujours en rupture]",
        "le site indiquait [disponible|en stock] mais [rien en magasin|le rayon était vide]",
        "[peu|pas assez] de choix [en rayon|en magasin]",
        "[on m'a dit|on m'a promis] que {le_p} arriverait [mardi|la semaine suivante], toujours "
        "rien",
    ),
    "sav": (
        "SAV [catastrophique|inexistant|injoignable|à fuir|lamentable]",
        "{mon_p} est au SAV depuis {duree_long} [sans nouvelles|et toujours rien]",
        "on me renvoie [vers le fabricant|d'un service à l'autre][ depuis {duree_long}|]",
        "[personne ne m'a|on ne m'a jamais] rappelé{g:|e} [pour la réparation|"
        "malgré mes relances|comme promis]",
        "le SAV refuse de prendre en charge {mon_p} [pourtant sous garantie|sans explication]",
        "[personne n'est capable de|impossible de] me dire où en est la réparation {du_p}",
        "[trois|quatre] allers-retours au SAV pour {mon_p}, [toujours en panne|jamais "
        "réparé{p:|e}]",
    ),
    "livraison": (
        "livraison [avec {duree_long} de retard|reportée [deux|trois] fois|jamais arrivée]",
        "[attendu{g:|e}|resté{g:|e} chez moi] toute la journée [pour rien|et personne n'est venu]",
        "le livreur [a refusé de monter|n'a pas voulu installer|a laissé {le_p} en bas de "
        "l'immeuble]",
        "{le_p} [a été livré{p:|e}|est arrivé{p:|e}] [abîmé{p:|e}|sans les accessoires|"
        "avec le carton éventré]",
        "aucune information sur [la livraison|le créneau de livraison]",
        "[livreurs [pas aimables|désagréables]|le livreur [pas aimable|désagréable]] et "
        "{le_p} [jamais installé{p:|e}|posé{p:|e} sur le palier]",
        "la livraison prévue {quand} n'a jamais eu lieu, [pas un appel|aucune excuse]",
    ),
    "retours": (
        "[impossible [de retourner|d'échanger]|refus [de reprendre|d'échanger]] {le_p} "
        "[pourtant sous garantie|alors que j'étais dans les délais|]",
        "on m'a proposé un avoir au lieu d'un remboursement",
        "le retour [a pris|prend] {duree_long}[ et toujours pas remboursé{g:|e}|]",
        "on m'a refusé l'échange parce que [le carton était ouvert|je n'avais plus l'emballage]",
        "j'ai dû faire [trois fois|deux fois] le déplacement pour un simple retour",
    ),
    "paiement": (
        "paiement en plusieurs fois [refusé sans explication|compliqué à mettre en place]",
        "[ma carte cadeau n'a pas été acceptée|mon bon d'achat n'a pas été accepté]",
        "[plus de paiement par chèque|les chèques ne sont plus acceptés] [et personne "
        "ne prévient|sans que ce soit affiché]",
        "[bug|blocage] à la caisse au moment [de valider|d'encaisser] le paiement",
    ),
    "facturation": (
        "erreur sur [la facture|le ticket de caisse]",
        "[j'ai été facturé{g:|e}|on m'a facturé] [deux fois|la livraison alors qu'elle était "
        "offerte|l'extension de garantie que j'avais refusée]",
        "[toujours pas reçu|impossible d'obtenir] [ma facture|une facture][ pour la garantie|]",
        "[prélevé{g:|e} deux fois|débité{g:|e} deux fois] pour le même achat",
        "la facture ne mentionne pas [l'extension de garantie|la remise|le bon modèle]",
    ),
    "site_app": (
        "[le site|l'appli] [plante|bugue] [au moment de payer|sans arrêt|tout le temps]",
        "ma commande en ligne a été annulée sans explication",
        "le stock affiché sur [le site|l'appli] [est faux|ne correspond à rien]",
        "impossible [de me connecter à mon compte|de suivre ma commande|d'utiliser mon code promo] "
        "sur [le site|l'appli]",
        "[le site|l'appli] m'a confirmé {un_p} [qui n'existait pas en stock|introuvable en "
        "magasin]",
    ),
    "telephone": (
        "impossible de joindre le magasin [par téléphone|au téléphone]",
        "[le téléphone sonne dans le vide|personne ne décroche] [au magasin|au service client]",
        "[on m'a raccroché au nez|on m'a mis{g:|e} en attente {duree} puis raccroché]",
        "[j'ai appelé|j'ai téléphoné] [trois fois|plusieurs fois|tous les jours] sans "
        "[réponse|jamais avoir quelqu'un]",
        "on devait me rappeler, [jamais fait|personne ne l'a fait|j'attends toujours]",
        "au téléphone on m'a dit [une chose|n'importe quoi] et en magasin [l'inverse|autre chose]",
    ),
    "proprete": (
        "magasin [sale|mal rangé|en désordre|pas très propre]",
        "[des cartons|des palettes] [dans les allées|partout dans les rayons]",
        "[les sols|les toilettes] [sales|dans un état lamentable]",
        "[rayons|allées] [encombrés|en désordre] et produits [posés n'importe où|mal étiquetés]",
    ),
    "parking": (
        "parking [toujours plein|trop petit|payant|mal indiqué|mal éclairé]",
        "[impossible|difficile] de se garer[ le samedi| devant le magasin|]",
        "[pas une place|aucune place] de libre {quand}, j'ai [failli repartir|tourné vingt "
        "minutes]",
    ),
    "fidelite": (
        "[client{g:|e} depuis|fidèle depuis] [dix ans|des années] et [traité{g:|e} comme "
        "{g:un inconnu|une inconnue}|aucun geste commercial]",
        "mes points de fidélité [ont disparu|n'ont pas été crédités|ne sont jamais pris en compte]",
        "la carte de fidélité [ne sert à rien|n'apporte rien]",
        "[aucun geste|pas le moindre geste] pour {g:un client fidèle|une cliente fidèle} [comme "
        "moi|depuis des années]",
    ),
}

# The planted incident: payment terminals failing. Every variant names payment or the card.
PAYMENT_INCIDENT_NEG: tuple[str, ...] = (
    "le terminal de paiement ne [marchait|fonctionnait] pas",
    "[impossible|pas moyen] de payer par carte",
    "TPE en panne[ dans tout le magasin| à toutes les caisses|]",
    "j'ai dû payer en espèces[ et courir au distributeur|, pas pratique|]",
    "[les terminaux de paiement|les TPE|les lecteurs de carte] [étaient|sont] [en panne|"
    "hors service|HS][ depuis plusieurs jours| encore une fois|]",
    "ma carte a été refusée [trois fois|plusieurs fois|à chaque essai] à cause [du terminal|"
    "de la machine], pas de ma banque",
    "on m'a demandé [de revenir plus tard|de payer en liquide|d'aller retirer au distributeur] "
    "[parce que|car] [la carte ne passait pas|le paiement par carte ne fonctionnait pas]",
    "la machine à carte [plantait|ne répondait plus|affichait une erreur][ à chaque fois|"
    " en boucle|]",
    "[plus de|pas de] paiement par carte [possible |]ce jour-là",
    "le sans contact ne [fonctionnait|marchait] pas et [la carte avec code|"
    "le paiement par code] non plus",
    "[obligé{g:|e}|contraint{g:|e}] de laisser {le_p} en caisse faute de pouvoir payer par carte",
    "[caisses bloquées|file énorme en caisse] à cause [d'une panne de TPE|des terminaux de "
    "paiement en panne|d'un problème de carte bancaire]",
    "[encore|de nouveau] un problème de [terminal de paiement|lecteur de carte bleue|CB]"
    "[, ça devient une habitude|]",
    "paiement par CB impossible[ pendant {duree}|]",
    "la CB ne passait pas, [problème de réseau d'après {staff}|« panne du système » selon {staff}]",
    "[pas de paiement possible|on ne pouvait pas payer] [sauf en espèces|autrement qu'en liquide]",
)
PAYMENT_INCIDENT_POS: tuple[str, ...] = (
    "malgré [la panne du terminal de paiement|le TPE en panne|les problèmes de carte "
    "bancaire], [{staff} a trouvé une solution|on m'a gardé {le_p} de côté|tout s'est bien passé]",
    "petit souci de [terminal de paiement|lecteur de carte] mais [très bien géré|l'équipe est "
    "restée souriante|on m'a proposé de payer à une autre caisse]",
    "[la carte ne passait pas|le TPE était en panne] mais [{staff} a été très arrangeant{s:|e}|"
    "on m'a laissé revenir payer plus tard]",
)

MIX_TAIL = (
    "sans plus",
    "rien d'exceptionnel",
    "ça reste perfectible",
    "il manque un petit quelque chose",
    "peut mieux faire",
    "quelques petits couacs",
    "pas toujours au niveau",
)

# Said by a passive after a complaint: the rest was fine.
MIX_REST = (
    "sinon tout était bien",
    "pour le reste, rien à dire",
    "le reste était correct",
    "à part ça, bon magasin",
    "sinon [personnel agréable|bon magasin|ça va]",
    "dommage, car le reste était [bien|plutôt bien|correct]",
)

# --------------------------------------------------------------------------------------------
# Staff behaviours (seed 004), in the customer's words, with the themes each variant touches
# --------------------------------------------------------------------------------------------

BEHAVIOUR_TEMPLATES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "neutralite": (
        (
            "{staff} m'a répondu [mécaniquement|comme un robot|sans lever les yeux|sans un "
            "sourire], [le strict minimum|juste ce qu'il fallait|rien de plus]",
            ("amabilite",),
        ),
        (
            "on m'a répété que [c'était la procédure|c'était le règlement|ce n'était pas prévu] "
            "[sans chercher à comprendre|sans essayer de m'aider|et point final]",
            ("amabilite",),
        ),
        (
            "{staff} s'est [retranché{s:|e}|réfugié{s:|e}] derrière [le règlement|la procédure|"
            "les conditions générales|« la politique du magasin »]",
            ("amabilite",),
        ),
        (
            "aucune [empathie|chaleur|initiative] : [on fait le minimum|on applique la règle] "
            "et c'est tout",
            ("accueil",),
        ),
        ("ton [froid|impersonnel|administratif] : « ce n'est pas de mon ressort »", ("amabilite",)),
        (
            "{staff} [avait l'air|semblait] [complètement |totalement |][blasé{s:|e}|ailleurs|"
            "désabusé{s:|e}], [aucune envie de m'aider|service minimum]",
            ("amabilite",),
        ),
        ("« je ne peux rien faire pour vous », c'est tout ce que j'ai obtenu", ("amabilite",)),
        ("on m'a traité{g:|e} comme un numéro de dossier, sans un mot de plus", ("accueil",)),
    ),
    "evitement": (
        (
            "personne ne m'a regardé{g:|e}[ alors que j'attendais depuis {duree}| en entrant|]",
            ("accueil",),
        ),
        (
            "{staff} [faisait semblant de|a préféré] [ranger des cartons|regarder son écran|"
            "remplir un rayon] [plutôt que de s'occuper de la file|pendant que j'attendais|"
            "alors que j'étais juste devant]",
            ("attente",),
        ),
        (
            "{staff} m'a vu{g:|e} et a [tourné la tête|changé d'allée|filé en réserve]",
            ("disponibilite",),
        ),
        (
            "[trois|deux|des] vendeurs sont passés devant moi sans [un regard|me regarder|"
            "dire un mot]",
            ("disponibilite",),
        ),
        ("j'avais l'impression d'être invisible[ dans ce magasin|]", ("accueil",)),
        (
            "{staff} ne s'occupait que de son client depuis {duree}, sans [un signe|un regard] "
            "pour [ceux qui attendaient|la file]",
            ("attente",),
        ),
        (
            "on faisait mine de ne pas me voir [au comptoir|à l'accueil|en caisse]",
            ("accueil",),
        ),
        (
            "le vendeur a regardé sa montre et est parti en pause sans un mot, "
            "[la file a attendu|on a continué d'attendre]",
            ("attente",),
        ),
    ),
    "protection_groupe": (
        (
            "les vendeurs [discutaient entre eux|papotaient|rigolaient entre eux] [pendant que "
            "j'attendais|sans se soucier des clients|au lieu de servir]",
            ("disponibilite",),
        ),
        (
            "[deux|trois] employés [se plaignaient de leur planning|parlaient de leurs horaires|"
            "critiquaient leur chef] devant [les clients|moi]",
            ("amabilite",),
        ),
        (
            "on sent une équipe soudée mais [le client passe après|les clients ne font pas "
            "partie du club|on se sent de trop]",
            ("accueil",),
        ),
        (
            "j'ai dû [interrompre|couper] leur conversation pour [avoir un renseignement|"
            "qu'on s'occupe de moi]",
            ("disponibilite",),
        ),
        (
            "[blagues|plaisanteries|messes basses] entre collègues [derrière le comptoir|"
            "à la caisse] [pendant que la file s'allongeait|sans un regard pour nous]",
            ("attente",),
        ),
        ("on avait l'impression de déranger leur pause café", ("accueil",)),
        (
            "{staff} a râlé sur [la direction|ses conditions de travail|le manque de personnel] "
            "au lieu de [répondre à ma question|m'aider]",
            ("amabilite",),
        ),
    ),
    "categorisation": (
        (
            "{staff} a [décidé tout de suite|jugé] que [je n'avais pas le budget|"
            "je n'y connaissais rien|je n'allais rien acheter]",
            ("amabilite",),
        ),
        (
            "parce que je suis [{g:âgé|âgée}|jeune|{g:venu en bleu de travail|une femme}], "
            "on m'a [pris{g:|e} de haut|parlé comme à un enfant|ignoré{g:|e}]",
            ("amabilite",),
        ),
        (
            "on m'a [tout de suite|directement] orienté{g:|e} vers [le premier prix|l'entrée de "
            "gamme|les produits les moins chers] sans me demander [mon besoin|ce que je cherchais]",
            ("conseil",),
        ),
        (
            "{staff} m'a dit [« ça, ce n'est pas pour vous »|que ce modèle était « trop "
            "compliqué » pour moi]",
            ("conseil",),
        ),
        (
            "on m'a [fait comprendre|laissé entendre] que [les gens comme moi|les clients qui "
            "se renseignent sur internet] [font perdre du temps|n'achètent jamais]",
            ("amabilite",),
        ),
        (
            "à peine [entré{g:|e}|arrivé{g:|e}], {staff} m'a [catalogué{g:|e}|jugé{g:|e}] "
            "[sur mon apparence|sur ma tenue|sur mon âge]",
            ("accueil",),
        ),
        (
            "[traité{g:|e}|pris{g:|e}] pour {g:un râleur|une râleuse} avant même d'avoir "
            "ouvert la bouche",
            ("amabilite",),
        ),
    ),
    "education": (
        ("{staff} m'a dit que je n'avais qu'à commander sur internet", ("conseil",)),
        (
            "on m'a expliqué que c'était à moi [de faire la démarche auprès du fabricant|"
            "de remplir le formulaire en ligne|de contacter le transporteur|d'imprimer "
            "l'étiquette de retour]",
            ("sav",),
        ),
        (
            "au lieu de [m'aider|le faire], {staff} m'a [montré|expliqué pendant dix minutes] "
            "comment [remplir le dossier|faire la demande sur le site|scanner le code] "
            "[moi-même|tout{g:|e} seul{g:|e}]",
            ("conseil",),
        ),
        (
            "on m'a répondu : « [tout est sur le site|c'est marqué sur le site], vous pouvez "
            "le faire [vous-même|depuis chez vous] »",
            ("site_app",),
        ),
        (
            "on m'a tendu [une tablette|la borne] en me disant de [faire ma commande|"
            "vérifier le stock] [moi-même|tout{g:|e} seul{g:|e}]",
            ("disponibilite",),
        ),
        (
            "{staff} a refusé de [remballer|porter jusqu'à la caisse] {le_p} : « [vous pouvez "
            "le faire|ce n'est pas mon travail] »",
            ("amabilite",),
        ),
        (
            "on m'a fait la leçon sur [la façon de remplir le bon de retour|les conditions de "
            "garantie|la bonne manière de plier le carton]",
            ("retours",),
        ),
        (
            "on m'a renvoyé{g:|e} vers [l'appli|le site|le service client] pour [une question "
            "toute simple|un renseignement que {staff} aurait pu me donner]",
            ("conseil",),
        ),
        (
            "« [c'est à vous de vérifier|c'est à vous d'appeler le fabricant|vous devez "
            "télécharger le formulaire|vous devez appeler le fabricant] », voilà la seule "
            "réponse",
            ("sav",),
        ),
        (
            "{staff} m'a appris à [utiliser la caisse automatique|faire le retour en ligne] "
            "au lieu de [me servir|s'en occuper]",
            ("conseil",),
        ),
    ),
    "soumission": (
        (
            "{staff} était d'une politesse [exagérée|glaciale|excessive], [mais|et] "
            "[n'a absolument rien fait|rien n'a bougé]",
            ("amabilite",),
        ),
        (
            "plus je m'énervais, plus on me répondait poliment « je comprends tout à fait "
            "votre frustration », sans rien faire",
            ("amabilite",),
        ),
        (
            "[très poli{s:|e}|tout sourire], {staff} m'a bien fait comprendre que [c'était moi "
            "le problème|je n'obtiendrais rien]",
            ("amabilite",),
        ),
        (
            "« je vous prie de bien vouloir patienter » [dix fois|à chaque phrase], [mais|et] "
            "[aucune solution|zéro solution]",
            ("attente",),
        ),
        (
            "des [formules de politesse|excuses] à n'en plus finir pour [mieux m'éconduire|"
            "me dire non|ne rien faire]",
            ("amabilite",),
        ),
        (
            "{staff} m'a répondu sur un ton [faussement aimable|exagérément poli|mielleux] qui "
            "ne laissait aucune place à la discussion",
            ("amabilite",),
        ),
        (
            "on ne peut pas dire qu'on m'a manqué de respect, mais [on m'a remis{g:|e} à ma "
            "place|j'ai été {g:congédié|congédiée} très poliment]",
            ("accueil",),
        ),
    ),
}

# --------------------------------------------------------------------------------------------
# Sentence-level material
# --------------------------------------------------------------------------------------------

OPENERS: dict[str, tuple[str, ...]] = {
    "pos": (
        "Parfait.",
        "Top !",
        "Super expérience[ !|.]",
        "Très satisfait{g:|e}[.| !]",
        "Rien à redire[.| !]",
        "Que du positif.",
        "Excellent[ magasin|] !",
        "Très bonne expérience.",
        "Ravi{g:|e} !",
        "Impeccable.",
        "Je recommande[ vivement| sans hésiter|] !",
        "Un sans-faute.",
        "Très bien.",
    ),
    "mix": (
        "Globalement [bien|satisfait{g:|e}|correct].",
        "Bien dans l'ensemble.",
        "[Plutôt|Assez] satisfait{g:|e}.",
        "Correct[ sans plus|].",
        "Expérience [correcte|moyenne|en demi-teinte].",
        "Bien mais…",
        "Pas mal.",
        "Ça va.",
        "Dans l'ensemble ça va.",
    ),
    "neg": (
        "[Déçu{g:|e}|Assez déçu{g:|e}|Plutôt déçu{g:|e}].",
        "Expérience [décevante|pas terrible|à oublier].",
        "Pas terrible.",
        "Bof.",
        "Pas à la hauteur.",
        "Pas satisfait{g:|e} du tout.",
        "Quelle déception.",
    ),
    "hard": (
        "[Très|Vraiment|Extrêmement] déçu{g:|e} !",
        "Inadmissible !",
        "[Honteux|Scandaleux|Lamentable] !",
        "À fuir !",
        "Plus jamais !",
        "Une honte.",
        "Quelle galère !",
        "Je suis {g:furieux|furieuse}.",
        "Service {mauvais}.",
    ),
}
CLOSERS: dict[str, tuple[str, ...]] = {
    "pos": (
        "Je reviendrai[ !|.]",
        "Je recommande[ !|.]",
        "Merci[ à toute l'équipe|] !",
        "Continuez comme ça !",
        "Bravo à [toute |]l'équipe.",
        "Je reviendrai sans hésiter.",
        "Un grand merci.",
        "Encore merci !",
    ),
    "mix": (
        "À améliorer.",
        "Peut mieux faire.",
        "Dommage.",
        "Je reviendrai quand même.",
        "Sinon rien à dire.",
        "Mais dans l'ensemble ça va.",
    ),
    "neg": (
        "Je ne reviendrai pas.",
        "Je ne reviendrai plus[ jamais|] dans ce magasin.",
        "Je vais aller voir ailleurs.",
        "[Très|Vraiment] décevant.",
        "Je ne recommande pas[ du tout|].",
        "Dommage.",
        "Je déconseille.",
        "Vous avez perdu {g:un client|une cliente}.",
        "Plus jamais ici.",
        "J'attends [une réponse|un geste commercial|qu'on me rappelle].",
        "[C'est|Franchement c'est] pas sérieux.",
    ),
}
# Feelings with no theme, to lengthen and colour some answers.
FEELINGS: dict[str, tuple[str, ...]] = {
    "pos": (
        "Tout s'est [parfaitement|très bien] passé[ du début à la fin|].",
        "On sent une équipe [motivée|qui aime son travail].",
        "C'est pour ça que je reviens[ ici|].",
        "Ça fait plaisir[ de nos jours|, franchement] !",
        "Je ne m'attendais pas à [un tel service|autant d'attention].",
        "Rien à voir avec [les grandes surfaces|d'autres magasins de la chaîne].",
    ),
    "mix": (
        "Je ne sais pas encore si je reviendrai.",
        "Il y a du potentiel[, mais|] pas encore au niveau.",
        "Ni bien ni mal[, honnêtement|].",
        "J'ai connu [mieux|ce magasin en meilleure forme].",
        "Rien de grave[, mais à corriger|].",
    ),
    "neg": (
        "Je suis [vraiment |franchement |]{g:[écœuré|dégoûté|en colère]|"
        "[écœurée|dégoûtée|en colère]}.",
        "C'est la [première et |]dernière fois.",
        "On ne m'y reprendra plus.",
        "Quel dommage, c'était mon magasin [préféré|habituel|de proximité].",
        "Je m'attendais à mieux de la part d'une enseigne comme la vôtre.",
        "J'ai [perdu|perdu bêtement] [ma matinée|mon samedi|une demi-journée] pour rien.",
        "[On se moque|Vous vous moquez] des clients.",
        "Je vais [laisser un avis|en parler autour de moi][, croyez-moi|].",
    ),
}
CONTEXT = (
    "je suis venu{g:|e} {quand} [acheter|pour acheter|chercher|voir] {un_p}",
    "achat {d_un_p} {quand}",
    "passé{g:|e} {quand} pour {un_p}",
    "venu{g:|e} {quand} {proche} pour {un_p}",
    "{quand}, je cherchais {un_p}",
    "je voulais remplacer {mon_p}",
    "besoin {d_un_p} en urgence",
    "{quand} je suis passé{g:|e} [au magasin|en magasin|récupérer ma commande]",
)
SELLER_POS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("{name} a été [top|au top|super|formidable|efficace|très pro]", ("amabilite",)),
    ("merci à {name} pour [ses conseils|son aide|sa patience|son professionnalisme]", ("conseil",)),
    ("{name} a [pris le temps de m'expliquer|su trouver le bon modèle]", ("conseil",)),
    ("mention spéciale à {name}", ()),
    ("{name} [est de très bon conseil|connaît vraiment ses produits]", ("conseil",)),
    ("très bien conseillé{g:|e} par {name}", ("conseil",)),
    ("merci {name} !", ()),
    ("{name} [a été adorable|a été d'une grande gentillesse]", ("amabilite",)),
)
SELLER_NEG: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "{name} [n'a pas su|n'a pas pu] [répondre à mes questions|m'aider|me renseigner]",
        ("conseil",),
    ),
    (
        "{name} [ne m'a jamais rappelé{g:|e}|devait me rappeler, jamais eu de nouvelles]",
        ("telephone",),
    ),
    ("je n'ai rien à reprocher à {name}, [mais le reste ne suit pas|c'est l'organisation]", ()),
    ("{name} a fait de son mieux[ mais ne pouvait pas tout faire|]", ()),
    ("{name} [n'avait pas le temps|était sur trois clients à la fois]", ("disponibilite",)),
)
SHORT: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "pos": (
        ("[Rien à dire|Rien à redire|RAS], [parfait|impeccable|nickel|top][ !|.|]", ()),
        ("[Top|Parfait|Nickel|Super|Génial|Impeccable][ !|.| !!|]", ()),
        ("[Très bon|Excellent|Super|Bon] accueil[.| !|, merci.]", ("accueil",)),
        ("[Super|Très bons|Bons|Excellents] conseils[, merci| du vendeur|][.| !]", ("conseil",)),
        ("[Vendeurs|Personnel|Équipe|Vendeur] au top[ 👍| !|.]", ("amabilite",)),
        ("[Rapide et efficace|Efficace et rapide|Service rapide][.| !|]", ()),
        ("[Personnel|Vendeurs|Équipe] [très |super |vraiment |]sympa[.| !]", ("amabilite",)),
        ("[Livraison rapide|Livré à temps|Livraison au top][, merci|][ !|.]", ("livraison",)),
        ("Très bien[, comme d'habitude|, comme toujours|, fidèle au poste][.| !]", ("fidelite",)),
        ("Bons prix et bon [accueil|service].", ("prix", "accueil")),
        ("[Bien conseillé{g:|e}|Très bien conseillé{g:|e}][, merci|][.| !]", ("conseil",)),
        ("[Je recommande|Je recommande vivement|À recommander][.| !]", ()),
        ("Aucune attente, [parfait|top|merci][.| !]", ("attente",)),
        ("[Très satisfait{g:|e}|Satisfait{g:|e}|Ravi{g:|e}][ de mon achat|][.| !]", ()),
        ("[Merci|Merci beaucoup|Un grand merci][ pour tout| à l'équipe|][ !|.]", ()),
    ),
    "mix": (
        ("[Correct|Convenable|Honnête][.| sans plus.|, sans plus.]", ()),
        ("[Bien|Ok|Correct] mais [un peu cher|trop cher|pas donné][.| !]", ("prix",)),
        ("[Trop|Un peu trop|Beaucoup] d'attente[ en caisse| au retrait|][.| !]", ("attente",)),
        ("[Bien|Pas mal][ sans plus|, rien de plus|, sans plus][.|]", ()),
        ("[Ok|Bien|Correct] mais peu de choix[ en rayon|][.|]", ("disponibilite_produit",)),
        ("Pas assez de [vendeurs|personnel|monde en rayon][.| !]", ("disponibilite",)),
        ("[Moyen|Mitigé|Bof bof][.|]", ()),
        (
            "[Accueil correct|Accueil ok], [conseils limités|conseil moyen|conseils à revoir].",
            ("accueil", "conseil"),
        ),
    ),
    "neg": (
        ("[Nul|Lamentable|Déplorable|Catastrophique][.| !| !!]", ()),
        ("À fuir[.| !| !!]", ()),
        ("[Aucun|Zéro|Pas de] conseil[.| !]", ("conseil",)),
        ("[Trop cher|Beaucoup trop cher|Hors de prix][.| !]", ("prix",)),
        (
            "Attente [interminable|beaucoup trop longue|inadmissible][ en caisse| au SAV|][.| !]",
            ("attente",),
        ),
        ("SAV [injoignable|inexistant|catastrophique][.| !]", ("sav",)),
        ("Personne pour [renseigner|me renseigner|nous conseiller][.| !|...]", ("disponibilite",)),
        (
            "[Vendeurs [désagréables|pas aimables]|Personnel [désagréable|pas aimable]][.| !]",
            ("amabilite",),
        ),
        ("[Décevant|Très décevant|Vraiment décevant][.| !|...]", ()),
        ("[Je ne reviendrai pas|Plus jamais][.| !]", ()),
    ),
}

# Realistic frequencies of themes in an electronics retailer's survey answers.
THEME_WEIGHTS: dict[str, float] = {
    "accueil": 14,
    "amabilite": 13,
    "conseil": 15,
    "attente": 10,
    "disponibilite": 8,
    "prix": 9,
    "promotions": 4,
    "qualite_produit": 6,
    "disponibilite_produit": 7,
    "sav": 8,
    "livraison": 8,
    "retours": 3,
    "paiement": 2,
    "facturation": 2,
    "site_app": 4,
    "telephone": 3,
    "proprete": 2,
    "parking": 2,
    "fidelite": 3,
}
BEHAVIOUR_WEIGHTS = {
    "neutralite": 5,
    "evitement": 6,
    "protection_groupe": 4,
    "categorisation": 3,
    "education": 3,
    "soumission": 2,
}

# --------------------------------------------------------------------------------------------
# Field reports (seller's voice) and e-mails
# --------------------------------------------------------------------------------------------

FIELD: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "[Deux|Trois|Plusieurs|Des] clients [m'ont demandé|ont demandé] si on faisait [la reprise "
        "de l'ancien appareil|la livraison à l'étage|la location {du_p}|l'installation {du_p}]",
        ("livraison",),
    ),
    (
        "{g:Client|Cliente} [revenu{g:|e}|reparti{g:|e}] [{g:furieux|furieuse}|mécontent{g:|e}|"
        "énervé{g:|e}] : "
        "{le_p} [commandé{p:|e}|promis{p:|e}] [il y a {duree_long}|pour samedi] n'est [jamais "
        "arrivé{p:|e}|toujours pas là]",
        ("disponibilite_produit", "logistique"),
    ),
    (
        "[Les clients|Beaucoup de clients] comparent avec les prix [d'internet|des sites "
        "concurrents] sur {le_p}, [on perd la vente|on n'a pas de marge de négociation]",
        ("prix",),
    ),
    (
        "[Clients perdus|Ventes perdues] faute de [stock|démo|vendeur] au rayon {rayon}",
        ("disponibilite_produit", "disponibilite"),
    ),
    (
        "[Mise à jour|Nouvelle version] de [l'outil de caisse|l'appli vendeur|l'outil de devis] : "
        "[plus lente|bugs à l'impression des devis|perte des paniers en cours]",
        ("outil_interne",),
    ),
    (
        "[Camion arrivé|Livraison du dépôt arrivée] [en retard|à midi au lieu de 7 h|sans bon de "
        "livraison], [mise en rayon pas faite|réception faite à la main]",
        ("logistique",),
    ),
    (
        "[Les clients|Des clients] trouvent le SAV [trop long|injoignable|trop cher] pour "
        "[les petites pannes|{le_p}|le remplacement d'une pièce]",
        ("sav",),
    ),
    (
        "[Réclamation|Plainte] client sur [un accueil froid|l'attente en caisse|le manque de "
        "vendeurs] {quand}, à traiter",
        ("accueil", "attente"),
    ),
    (
        "[Plusieurs|Beaucoup de|Des] clients [demandent|réclament|cherchent] {un_p} [en stock|"
        "en exposition|à tester], [rupture depuis {duree_long}|pas dispo avant {duree_long}|"
        "on n'a que le modèle d'expo]",
        ("disponibilite_produit", "logistique"),
    ),
    (
        "Rupture sur {le_p} [depuis {duree_long}|encore cette semaine], [les clients repartent "
        "sans acheter|on perd des ventes|clients partis chez la concurrence]",
        ("disponibilite_produit", "logistique"),
    ),
    (
        "Livraison entrepôt [en retard|pas arrivée|incomplète] [ce matin|encore|depuis mardi], "
        "[palettes manquantes|la moitié des commandes clients bloquées|clients à rappeler]",
        ("logistique",),
    ),
    (
        "Commandes clients [livrées en retard|reportées] par le transporteur [sans prévenir|"
        "encore cette semaine], [les clients appellent le magasin|on se fait reprendre en rayon|"
        "gros mécontentement]",
        ("livraison", "logistique"),
    ),
    (
        "[[Logiciel de caisse|Outil de caisse|L'outil de commande] [très lent|qui plante|"
        "inutilisable]|La tablette vendeur [très lente|qui plante|inutilisable]] [ce matin|"
        "depuis la mise à jour|aux heures de pointe], "
        "[files d'attente en caisse|clients qui s'impatientent|on perd un temps fou]",
        ("outil_interne", "attente"),
    ),
    (
        "[Erreurs d'étiquetage|Étiquettes pas à jour|Écarts de prix entre étiquette et caisse] "
        "[au rayon {rayon}|sur les promos de la semaine], [clients mécontents|on doit faire des "
        "gestes commerciaux]",
        ("prix", "outil_interne"),
    ),
    (
        "[Prix site moins cher que magasin|Le site affiche {montant} de moins] sur {le_p}, "
        "[les clients demandent l'alignement|difficile à justifier en rayon]",
        ("prix", "site_app"),
    ),
    (
        "Clients demandent [le paiement en plusieurs fois sans frais|le paiement en 4 fois] "
        "[dès le premier euro|sur les petits montants]",
        ("paiement",),
    ),
    (
        "Clients demandent [plus de créneaux de livraison le samedi|la livraison le soir|"
        "un créneau de livraison plus précis]",
        ("livraison",),
    ),
    (
        "[Forte demande|Beaucoup de demandes] pour [la reprise de l'ancien appareil|"
        "l'installation à domicile|des démonstrations produits au rayon {rayon}]",
        ("conseil",),
    ),
    (
        "SAV central [injoignable|ne rappelle pas les clients|met {duree_long} à répondre], "
        "les clients reviennent [en magasin|vers nous] [énervés|pour relancer]",
        ("sav", "telephone"),
    ),
    (
        "Dossiers SAV [bloqués|sans réponse] depuis {duree_long}, [pièces jamais reçues|"
        "aucun retour du réparateur]",
        ("sav", "logistique"),
    ),
    (
        "[La ligne du magasin est saturée|Le standard est saturé|Le standard sonne dans le vide] "
        "l'après-midi, "
        "[les clients n'arrivent pas à nous joindre|plaintes en magasin]",
        ("telephone",),
    ),
    (
        "[Appli stock|Outil de stock] [pas à jour|qui affiche du stock fantôme], on promet des "
        "produits qu'on n'a pas",
        ("outil_interne", "disponibilite_produit"),
    ),
    (
        "Beaucoup de retours sur {le_p} [pour défaut|pour panne|pour bruit anormal], "
        "[à remonter au fournisseur|problème de série ?]",
        ("qualite_produit", "retours"),
    ),
    (
        "Procédure de retour [trop lourde|incompréhensible pour les clients], [trois formulaires "
        "à remplir|validation chef obligatoire], clients agacés",
        ("retours", "outil_interne"),
    ),
    (
        "Clients fidèles [se plaignent que la carte n'apporte plus grand-chose|demandent "
        "pourquoi leurs points ont disparu]",
        ("fidelite",),
    ),
    (
        "Parking [fermé en partie pour travaux|plein dès la fin de matinée], des clients font "
        "demi-tour",
        ("parking",),
    ),
    (
        "Manque de monde en rayon le samedi, [on ne peut pas conseiller correctement|clients qui "
        "attendent sans vendeur]",
        ("disponibilite", "attente"),
    ),
    (
        "Offre de remboursement fabricant [incompréhensible|pas reçue par les clients], "
        "[beaucoup de questions au comptoir|on passe du temps à expliquer]",
        ("promotions",),
    ),
    (
        "Promo [du catalogue|de la semaine] pas [paramétrée|passée] en caisse, [clients "
        "mécontents|corrections à la main]",
        ("promotions", "outil_interne"),
    ),
    (
        "Factures [pas envoyées par mail|avec une erreur de TVA] [depuis la mise à jour|"
        "cette semaine], clients qui reviennent les demander",
        ("facturation", "outil_interne"),
    ),
    (
        "Client très content [de l'installation|du conseil|de la livraison], il a demandé "
        "qu'on transmette à l'équipe",
        ("conseil",),
    ),
    (
        "Réserve encombrée, [cartons dans les allées|palettes au milieu du rayon] faute "
        "d'enlèvement",
        ("proprete", "logistique"),
    ),
    (
        "Clients [qui se plaignent|mécontents] de ne pas être accueillis à l'entrée [quand on "
        "est en sous-effectif|le samedi|entre midi et deux]",
        ("accueil", "disponibilite"),
    ),
    (
        "{g:Un client s'est plaint|Une cliente s'est plainte} du ton [d'un collègue|de "
        "l'équipe] [en caisse|au comptoir SAV|au retrait], [à reprendre en brief|à voir en "
        "réunion d'équipe]",
        ("amabilite",),
    ),
    (
        "Clients demandent plus de conseils au rayon {rayon}, besoin de formation produit",
        ("conseil",),
    ),
    (
        "[Attente|Queue] au retrait des commandes [le samedi|le midi], [un seul poste ouvert|"
        "pas assez de monde au comptoir]",
        ("attente",),
    ),
    (
        "Le click and collect [affiche des produits indisponibles|envoie le mail de retrait trop "
        "tôt], clients qui se déplacent pour rien",
        ("site_app",),
    ),
    (
        "Clients demandent [une appli plus simple|le suivi de commande sur l'appli]",
        ("site_app",),
    ),
    (
        "[Caisse bloquée|Poste de caisse très lent] à l'encaissement des paiements "
        "en plusieurs fois",
        ("paiement", "outil_interne"),
    ),
    (
        "Transporteur [livre sans installer|refuse les étages sans ascenseur], [clients "
        "furieux|retours en magasin]",
        ("livraison",),
    ),
)
FIELD_PREFIX = (
    "",
    "",
    "",
    "[Ce matin|Cet après-midi|Aujourd'hui|Samedi|Depuis lundi|Cette semaine|Encore aujourd'hui|"
    "Ce midi|Hier], ",
    "[Ce matin|Aujourd'hui|Cette semaine|Depuis lundi], ",
    "Remontée : ",
    "À signaler : ",
    "Info terrain : ",
    "Pour info, ",
    "RAS sauf : ",
    "Encore : ",
)
FIELD_SUFFIX = (
    ".",
    ".",
    ".",
    ". Merci de faire remonter.",
    ". Urgent.",
    ". À voir avec le responsable.",
    ". Deuxième remontée sur le sujet.",
    "",
    " !",
    ". Qui peut s'en occuper ?",
)
# Back-office departments of the demo company, as passed by the builder.
ISSUE_ALIASES = {
    "logistique": "logistique",
    "informatique": "outil_interne",
    "sav central": "sav",
    "sav": "sav",
    "service client": "telephone",
}

EMAIL_GREETING = ("Madame, Monsieur,", "Bonjour,", "Madame, Monsieur, bonjour,", "Bonjour Madame,")
EMAIL_INTRO = {
    "neg": (
        "Je me permets de vous écrire [suite à|à la suite de] mon passage dans votre magasin "
        "{quand}.",
        "Je vous écris pour vous faire part de mon [profond |vif |]mécontentement.",
        "{g:Client|Cliente} de votre enseigne depuis [de nombreuses années|longtemps], je tiens à "
        "vous signaler [une situation inacceptable|plusieurs dysfonctionnements].",
        "Je reviens vers vous concernant mon achat {d_un_p} {quand}.",
    ),
    "mix": (
        "Je me permets de vous faire part de quelques remarques suite à mon achat {d_un_p}.",
        "Je souhaitais vous faire un retour sur mon passage en magasin {quand}.",
    ),
    "pos": (
        "Je tenais à vous faire part de ma satisfaction suite à [mon achat {d_un_p}|"
        "mon passage en magasin] {quand}.",
        "Je souhaitais remercier votre équipe pour [son professionnalisme|la qualité de son "
        "accueil].",
        "Il est rare que j'écrive pour dire merci, mais cette fois je tenais à le faire.",
    ),
}
EMAIL_CONNECT = ("Par ailleurs, ", "De plus, ", "En outre, ", "Autre point : ", "Ensuite, ")
EMAIL_REQUEST = {
    "neg": (
        "Je vous serais {g:reconnaissant|reconnaissante} de bien vouloir [me recontacter|"
        "examiner ma demande|procéder au remboursement] [dans les meilleurs délais|rapidement].",
        "J'attends de votre part [un geste commercial|une solution rapide|une réponse écrite].",
        "Sans réponse de votre part, je me verrai {g:contraint|contrainte} de [saisir le "
        "médiateur|m'adresser à une association de consommateurs].",
        "Je souhaiterais être {g:recontacté|recontactée} afin de trouver une solution.",
    ),
    "mix": (
        "Je reste {g:un client|une cliente} de votre enseigne, mais ces points méritent d'être "
        "améliorés.",
        "Je vous remercie de transmettre ces remarques à l'équipe.",
    ),
    "pos": (
        "Merci de transmettre mes remerciements à toute l'équipe.",
        "Je ne manquerai pas de recommander votre magasin autour de moi.",
    ),
}
EMAIL_CLOSING = (
    "Dans l'attente de votre réponse, je vous prie d'agréer, Madame, Monsieur, l'expression "
    "de mes salutations distinguées.",
    "Cordialement.",
    "Bien cordialement,",
    "Veuillez agréer, Madame, Monsieur, mes salutations distinguées.",
    "Avec mes remerciements anticipés, cordialement.",
)
EMAIL_GOOD_LEAD = ("Point positif : ", "Côté positif : ", "Je retiens le positif : ")
EMAIL_SIGNATURE = {
    "pos": ("", "", "{g:Un client|Une cliente} [fidèle|de longue date|{g:satisfait|satisfaite}]"),
    "mix": ("", "", "{g:Un client|Une cliente} [fidèle|de longue date]"),
    "neg": ("", "", "{g:Un client mécontent|Une cliente mécontente}", "{g:Un client|Une cliente}"),
}
