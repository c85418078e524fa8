"""Places in and around Heerlen that stay visible on air, even where they look like a name.

deduce treats every place as personal (right for medical records, wrong for a neighbourhood broadcast: the
officer must hear which neighbourhood a question is about). Its place list holds the municipalities and
residences of the Netherlands; this list adds what it does not know: Heerlen's neighbourhoods and districts
(gemeente Heerlen, wijkindeling), the Parkstad municipalities' villages, and local landmarks people name in
questions. A name annotation that consists only of such places is dropped. Lower case; compared after
folding (studio.deid.normalise.street_key uses the same rules: "ij" as "y").
"""

from __future__ import annotations

_PLACES = """
heerlen, heerlerbaan, heerlerheide, hoensbroek, maankwartier, molenberg, meezenbroek, schandelen, zeswegen,
grasbroek, musschemig, welten, caumerveld, schaesbergerveld, heksenberg, passart, nieuw lotbroek, lotbroek,
rennemig, vrieheide, eikenderveld, aarveld, bekkerveld, beersdal, mariarade, terworm, douve weien, vaesrade,
schinveld, brunssum, landgraaf, kerkrade, simpelveld, voerendaal, nuth, beekdaelen, parkstad, limburg,
zuid limburg, schaesberg, nieuwenhagen, ubach over worms, eygelshoven, chevremont, bleyerheide, terwinselen,
spekholzerheide, benzenrade, palemig, kaldenborn, ten esschen, binnenstad, heerlen centrum, heerlen noord,
heerlen zuid, hoensbroek zuid, hoensbroek noord, nieuw einde, gewanden, akerpoort, putgraaf, promenade,
glaspaleis, schunck, royal theater, corio, aambos, brunssummerheide, imstenrade, imstenraderbos, tandemplein,
emmaplein, pancratiusplein, stadhuisplein, bongerd, kissel, geleenbeek, caumerbeek, sittard, geleen,
maastricht, aken, aachen, valkenburg, schinnen, amstenrade, oirsbeek, maria gewanden
"""
PUBLIC_PLACES = frozenset(p.strip() for p in _PLACES.replace("\n", " ").split(",") if p.strip())

# Organisations people name in questions (housing, shops, services, transport): public, never a person even
# where a surname list has the word ("Weller" is Heerlen's housing corporation).
_ORGANISATIONS = """
weller, woonpunt, wonen limburg, rd4, cbr, ns, arriva, jumbo, albert heijn, lidl, aldi, action, hema, kruidvat,
zuyderland, apg, cbs, open universiteit, mondriaan, burgernet, veilig thuis, slachtofferhulp, halt, meld misdaad
anoniem, fixi, enexis, wml, essent, vattenfall, ziggo, kpn, ing, rabobank, abn amro, sns, bunq, belastingdienst,
duo, uwv, svb, cak, ggd, ggz, politie, gemeente, marktplaats, whatsapp, facebook, instagram, tiktok, snapchat
"""
# Car and scooter makes: "een zwarte Mercedes", "de witte Renault" (several are first names too).
_MAKES = """
audi bmw mercedes mercedes-benz opel renault peugeot citroen citroën volkswagen vw skoda seat toyota kia hyundai
ford fiat nissan mazda honda suzuki volvo tesla dacia mini porsche jaguar lexus mitsubishi smart jeep alfa
piaggio vespa yamaha kymco sym gazelle batavus sparta cortina
"""
# Nationalities and languages: "een Duits kenteken", "Poolse busjes" describe, they do not name.
_NATIONALITIES = """
duits duitse nederlands nederlandse belgisch belgische marokkaans marokkaanse turks turkse pools poolse syrisch
syrische irakees irakese iraans iraanse afghaans afghaanse eritrees eritrese roemeens roemeense bulgaars
bulgaarse oekraiens oekraiense russisch russische surinaams surinaamse antilliaans antilliaanse arabisch
arabische engels engelse frans franse spaans spaanse italiaans italiaanse limburgs limburgse hollands
hollandse koerdisch koerdische somalisch somalische
"""
PUBLIC_NAMES = (
    PUBLIC_PLACES
    | frozenset(p.strip() for p in _ORGANISATIONS.replace("\n", " ").split(",") if p.strip())
    | frozenset(_NATIONALITIES.split())
    | frozenset(_MAKES.split())
)
