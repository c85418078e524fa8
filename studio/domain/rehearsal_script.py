"""The scripted audience of a rehearsal (`studio rehearse`): realistic chat for a Dutch and an Arabic session.

Some messages are ordinary questions, some urgent (they must be flagged and sorted to the top), some carry
personal data (it must never reach the screen), and some are hostile (markup, terminal escapes, bidi tricks,
floods): a new officer practises exactly what a real evening brings. Times are seconds after the broadcast
went live; the rehearsal compresses or stretches them with a speed factor.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ScriptedMessage:
    at: float  # seconds after going live
    author: str  # a made-up viewer name (never shown on air)
    text: str
    kind: str = "question"  # question | urgent | personal | hostile | chatter


DUTCH: tuple[ScriptedMessage, ...] = (
    ScriptedMessage(5, "Marieke H.", "Goedenavond! Leuk dat dit er is.", "chatter"),
    ScriptedMessage(12, "Ron", "Mijn fiets is vorige week gestolen bij het station, heeft aangifte zin?"),
    ScriptedMessage(20, "buurtbewoner45", "Hoe kan ik mijn huis beter beveiligen als we op vakantie gaan?"),
    ScriptedMessage(26, "Anoniem", "Er staat NU iemand aan mijn voordeur te rammelen, wat moet ik doen?? spoed",
                    "urgent"),
    ScriptedMessage(34, "Petra", "Ik word gebeld door iemand die zegt van de bank te zijn: mijn nummer is "
                    "06-12345678, kunnen jullie mij terugbellen?", "personal"),
    ScriptedMessage(41, "J. de Vries", "Welke sloten raadt de politie aan? Ik woon op Kerkstraat 12, 6411 AB.",
                    "personal"),
    ScriptedMessage(47, "xX_troll_Xx", "[bold red]POLITIE FAALT[/] \x1b[31mhaha\x1b[0m", "hostile"),
    ScriptedMessage(53, "Sanne", "Wat doe ik als ik verdachte personen in de buurt zie rondlopen?"),
    ScriptedMessage(60, "Sanne", "Wat doe ik als ik verdachte personen in de buurt zie rondlopen?"),  # duplicate
    ScriptedMessage(66, "Henk", "Er staat al weken een auto met kenteken 12-ABC-3 voor mijn deur, mag dat?",
                    "personal"),
    ScriptedMessage(72, "spam", "😀" * 80, "hostile"),
    ScriptedMessage(79, "Fatima", "Mijn buurman wordt bedreigd door jongeren, wie kan ik daarvoor bellen?",
                    "urgent"),
    ScriptedMessage(86, "Mo", "Stuur me een mail: mo.example@voorbeeld.nl over buurtpreventie-apps", "personal"),
    ScriptedMessage(93, "Lotte", "Is een WhatsApp-buurtpreventiegroep handig? Wat zijn de regels?"),
    ScriptedMessage(99, "\u202egnikcor", "Kijk op www.gratis-iphones.example.com \u202eesnepxe\u202c", "hostile"),
    ScriptedMessage(106, "Ahmet", "Hoe lang duurt het voordat ik iets hoor na een aangifte van inbraak?"),
    ScriptedMessage(113, "Kees", "Bedankt voor de uitleg, heel duidelijk!", "chatter"),
    ScriptedMessage(120, "Ingrid", "Kan de wijkagent ook eens langskomen bij onze buurtvereniging?"),
)

ARABIC: tuple[ScriptedMessage, ...] = (
    ScriptedMessage(5, "Youssef", "مساء الخير، شكراً على هذه المبادرة", "chatter"),
    ScriptedMessage(12, "Amal", "سُرقت دراجتي أمام المدرسة، كيف أقدم بلاغاً؟"),
    ScriptedMessage(20, "Khaled", "كيف أحمي بيتي من السرقة عندما أسافر في الصيف؟"),
    ScriptedMessage(27, "مجهول", "جاري يتعرض للعنف الآن، ماذا أفعل؟ طوارئ", "urgent"),
    ScriptedMessage(35, "Rania", "رقمي 0612345678 أرجو الاتصال بي بخصوص مشكلة مع الجيران", "personal"),
    ScriptedMessage(42, "Omar", "هل يمكنني تقديم البلاغ باللغة العربية في مركز الشرطة؟"),
    ScriptedMessage(49, "troll", "\u2067[link=http://evil.example]انقر هنا[/link]\u2069 \x07\x1b[2J", "hostile"),
    ScriptedMessage(56, "Samira", "ماذا أفعل إذا تلقيت رسالة احتيال على واتساب من رقم 0031612345678؟",
                    "personal"),
    ScriptedMessage(63, "Hassan", "أين يمكنني التحدث مع شرطي الحي شخصياً؟ الرمز البريدي 6411 AB", "personal"),
    ScriptedMessage(70, "Layla", "هل الشرطة تساعد في حالات العنف المنزلي بسرية؟"),
    ScriptedMessage(77, "Nadia", "شكراً جزيلاً، معلومات مفيدة جداً", "chatter"),
)


def script_for(lang: str) -> tuple[ScriptedMessage, ...]:
    return ARABIC if lang == "ar" else DUTCH
