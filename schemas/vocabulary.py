"""Hold the words people see for every code the API speaks: one label per code.

The enums of schemas/content.py and schemas/entries.py are the keys of these dicts, the
server's exports print these labels, and `unknot labels` writes them into pwa/js/labels.js.
"""

import json

MUSCLES = {
    "calf": "Calf",
    "foot": "Foot",
    "hamstring": "Back of thigh",
    "quadriceps": "Front of thigh",
    "hip": "Hip",
    "glute": "Buttock",
    "hand": "Hand",
    "forearm": "Forearm",
    "neck": "Neck",
    "back": "Back",
    "abdomen": "Belly",
    "other": "Other muscle",
}
SIDES = {"left": "Left", "right": "Right", "both": "Both"}
CONTEXTS = {"exercise": "During exercise", "night": "At night", "rest": "At rest",
            "other": "Other"}
# What a person can tag as a possible cause when logging a cramp; some red-flag rules read them.
TRIGGERS = {
    "intense_exercise": "Hard exercise",
    "long_exercise": "Long exercise",
    "training_spike": "More training than usual",
    "fast_pace": "Faster than usual",
    "repetition": "Many repetitions",
    "dehydration": "Not drinking enough",
    "heavy_sweating": "Heavy sweating",
    "heat": "Hot weather",
    "little_sleep": "Little sleep",
    "stress": "Stress",
    "new_footwear": "New shoes or insoles",
    "missed_stretching": "Skipped stretching",
    "medication_change": "Medicine change",
    "pregnancy": "Pregnancy",
    "alcohol": "Alcohol",
    "caffeine": "Coffee or energy drinks",
    "other": "Other",
}
RELIEFS = {
    "stretch": "Stretch",
    "weight_bearing": "Stood on it",
    "pressure": "Pressure",
    "massage": "Massage",
    "heat": "Heat",
    "ice": "Ice",
    "contrast": "Hot and cold",
    "water": "Water",
    "electrolytes": "Electrolytes",
    "pickle_juice": "Pickle juice",
    "walking": "Walking",
    "rest": "Rest",
    "other": "Other",
}
DRINKS = {
    "water": "Water",
    "electrolyte": "Electrolyte drink",
    "ors": "Rehydration solution",
    "pickle_juice": "Pickle juice",
    "coffee": "Coffee",
    "tea": "Tea",
    "alcohol": "Alcohol",
    "other": "Other",
}
# Medicines a person can name in their profile; the first four can bring on cramps (NICE CKS).
MEDICINES = {
    "statin": "A statin (for cholesterol)",
    "diuretic": "Water tablets (a diuretic)",
    "salbutamol": "Salbutamol (an asthma inhaler)",
    "nifedipine": "Nifedipine (for blood pressure)",
    "other": "Another medicine",
}
# What a person can tick when logging a cramp; the red-flag rules read these codes.
RED_FLAGS = {
    "weakness": "Weakness that is getting worse",
    "muscle_wasting": "Muscles looking thinner or smaller",
    "numbness": "Numbness, pins and needles or loss of feeling",
    "swelling": "Swelling",
    "skin_changes": "Skin that looks red or changed, or feels hot",
    "calf_swollen_warm": "One calf or leg swollen, warm, tender or red",
    "severe_pain": "Strong pain that stays after the cramp",
    "night_pain": "Pain at night that is not a cramp",
    "chest_pain": "Chest pain or tightness",
    "breathlessness": "Short of breath",
    "coughing_blood": "Coughing up blood",
    "fever": "Fever",
    "unwell": "Feeling generally unwell",
    "dizziness": "Dizziness or feeling faint",
    "collapse": "Collapsed or fainted",
    "leg_gave_way": "A leg gave way during the cramp",
    "nausea": "Feeling sick or vomiting",
    "dark_urine": "Dark brown or cola-coloured urine",
    "little_urine": "Passing very little urine",
    "confusion": "Confusion",
    "headache": "Headache",
    "swollen_hands": "Swollen hands or fingers (rings feel tight)",
    "drank_a_lot": "Drank much more than usual in the last few hours",
    "one_side_weakness": "Sudden weakness or numbness on one side of the body",
    "face_drooping": "Face drooping on one side",
    "slurred_speech": "Slurred or muddled speech",
    "after_injury": "Started after an injury",
    "neurological_event": "After a stroke, head or spinal injury",
    "soil_wound": "A recent wound that had soil or dirt in it",
}
# Levels of advice in rising order, each with the generic advice shown when no rule's own
# message says more.
LEVELS = {
    "self_care": {
        "label": "Self-care is fine",
        "advice": "Keep stretching gently, move a little and have a drink. Ask your doctor or "
                  "physio if cramps keep coming back or spoil your sleep.",
    },
    "see_doctor": {
        "label": "See a doctor",
        "advice": "Stop self-care for this one and book an appointment with your doctor or "
                  "physiotherapist in the next few days.",
    },
    "urgent": {
        "label": "Get help today",
        "advice": "Contact a doctor today: your surgery, an urgent care centre or a health "
                  "advice line (111 in the UK). If it gets worse or you feel faint, call an "
                  "ambulance.",
    },
    "emergency": {
        "label": "Call an ambulance",
        "advice": "Call emergency services now (999 in the UK, 112 in Europe, 911 in the US). "
                  "Stop, sit or lie down, and do not stay alone.",
    },
}
# Word anchors of the one 0-10 intensity scale (a numeric rating scale): each word holds from
# its value up to the next anchor.
INTENSITY = {0: "no pain", 1: "mild", 4: "moderate", 7: "strong", 10: "worst possible"}

# Every vocabulary by the name the generated module exports.
VOCABULARIES = {
    "MUSCLES": MUSCLES, "SIDES": SIDES, "CONTEXTS": CONTEXTS, "TRIGGERS": TRIGGERS,
    "RELIEFS": RELIEFS, "DRINKS": DRINKS, "MEDICINES": MEDICINES, "RED_FLAGS": RED_FLAGS,
    "LEVELS": LEVELS, "INTENSITY": INTENSITY,
}


def label(vocabulary, code):
    """Return the label of a code, or the code itself when it has none (an old export)."""
    word = vocabulary.get(code, code)
    return word["label"] if isinstance(word, dict) else word


def labels(vocabulary, codes):
    """Join the labels of several codes."""
    return ", ".join(label(vocabulary, code) for code in codes)


def intensity_text(value):
    """Say a 0-10 intensity with its word, as every screen does: "5 of 10, moderate"."""
    word = INTENSITY[max(anchor for anchor in INTENSITY if anchor <= value)]
    return f"{value} of 10, {word}"


def duration_text(seconds):
    """Say a length as every screen does (pwa/js/time.js duration): "45 s", "4 min 12 s"."""
    s = round(seconds)
    if s < 60:
        return f"{s} s"
    return f"{s // 60} min {s % 60} s" if s % 60 else f"{s // 60} min"


# Vocabularies no page of the app shows: the profile's medicines are read by the rules, never
# labelled on a phone, so the precached shell does not carry them.
NOT_IN_APP = ("MEDICINES",)


def javascript():
    """Write every vocabulary the app shows as the ES module pwa/js/labels.js."""
    lines = ["// Generated by `unknot labels` from schemas/vocabulary.py: edit that file and run",
             "// the command again. Every label a person sees for a code the server speaks."]
    for name, words in VOCABULARIES.items():
        if name in NOT_IN_APP:
            continue
        lines.append(f"export const {name} = {json.dumps(words, ensure_ascii=False, indent=2)};")
    return "\n".join(lines) + "\n"
