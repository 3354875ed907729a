// The words of the diary: the server's enums (schemas/entries.py) with the labels people see.

export const MUSCLES = {
  calf: 'Calf', foot: 'Foot', hamstring: 'Hamstring', quadriceps: 'Quadriceps', hip: 'Hip',
  glute: 'Glute', hand: 'Hand', forearm: 'Forearm', neck: 'Neck', back: 'Back',
  abdomen: 'Abdomen', other: 'Other',
};
export const SIDES = { left: 'Left', right: 'Right', both: 'Both' };
export const CONTEXTS = { exercise: 'Exercise', night: 'Night', rest: 'Resting', other: 'Other' };
export const TRIGGERS = {
  intense_exercise: 'Hard exercise', long_exercise: 'Long exercise', training_spike: 'More training than usual',
  fast_pace: 'Faster than usual', repetition: 'Many repetitions', dehydration: 'Not drinking enough',
  heavy_sweating: 'Heavy sweating', heat: 'Hot weather', little_sleep: 'Little sleep', stress: 'Stress',
  new_footwear: 'New shoes or insoles', missed_stretching: 'Skipped stretching',
  medication_change: 'Medicine change', pregnancy: 'Pregnancy', alcohol: 'Alcohol', caffeine: 'Coffee or energy drinks', other: 'Other',
};
export const RELIEFS = {
  stretch: 'Stretch', weight_bearing: 'Stood on it', pressure: 'Pressure', massage: 'Massage',
  heat: 'Heat', ice: 'Ice', contrast: 'Hot and cold', water: 'Water', electrolytes: 'Electrolytes',
  pickle_juice: 'Pickle juice', walking: 'Walking', rest: 'Rest', other: 'Other',
};
export const DRINKS = {
  water: 'Water', electrolyte: 'Electrolyte drink', ors: 'Rehydration solution',
  pickle_juice: 'Pickle juice', coffee: 'Coffee', tea: 'Tea', alcohol: 'Alcohol', other: 'Other',
};
export const INTENSITY = { 2: 'Mild', 5: 'Medium', 8: 'Strong' };

// Levels in rising order; the server's assessment uses the same names.
export const LEVELS = {
  self_care: {
    label: 'Self-care is fine',
    advice: 'Keep stretching gently, move a little and have a drink. Ask your doctor or physio if cramps keep coming back or spoil your sleep.',
  },
  see_doctor: {
    label: 'See your doctor',
    advice: 'Stop self-care for this one and book an appointment with your doctor or physiotherapist in the next few days.',
  },
  urgent: {
    label: 'Get help today',
    advice: 'Contact a doctor today: your surgery, an urgent care centre or a health advice line (111 in the UK). If it gets worse or you feel faint, call an ambulance.',
  },
  emergency: {
    label: 'Call an ambulance',
    advice: 'Call emergency services now (999 in the UK, 112 in Europe, 911 in the US). Stop, sit or lie down, and do not stay alone.',
  },
};

// Warning signs asked one tap away from the relief timer (schemas.content.RED_FLAG_CODES).
export const RED_FLAGS = {
  chest_pain: 'Chest pain or tightness',
  collapse: 'Collapsed or fainted',
  leg_gave_way: 'A leg gave way during the cramp',
  confusion: 'Confused or not thinking clearly',
  dizziness: 'Dizzy or faint',
  nausea: 'Feeling or being sick',
  dark_urine: 'Very dark urine',
  weakness: 'Weakness that is getting worse',
  numbness: 'Numbness or pins and needles',
  swelling: 'Swelling',
  skin_changes: 'Skin changed colour or feels hot or cold',
  fever: 'Fever',
  unwell: 'Feeling unwell in general',
  severe_pain: 'Strong pain that stays after the cramp',
  after_injury: 'It started after an injury',
  muscle_wasting: 'Muscles look thinner or smaller',
  neurological_event: 'After a stroke, or a head or spine injury',
  soil_wound: 'A recent wound with soil or dirt in it',
  calf_swollen_warm: 'One calf or leg swollen, warm, tender or red',
  breathlessness: 'Short of breath',
  coughing_blood: 'Coughing up blood',
  little_urine: 'Passing very little urine',
  one_side_weakness: 'Sudden weakness or numbness on one side of the body',
  face_drooping: 'Face drooping on one side',
  slurred_speech: 'Slurred or muddled speech',
  night_pain: 'Pain at night that is not a cramp',
};

export const MUSCLE_HINTS = {
  calf: 'Straighten the knee and pull your toes towards you, or stand and lean into a wall with the heel down.',
  foot: 'Pull your toes up towards your shin, or stand and put your weight on the foot.',
  hamstring: 'Sit with the leg straight and reach gently towards your toes.',
  quadriceps: 'Standing and holding on to something, bend the knee and bring the heel towards your bottom.',
  hand: 'Open the fingers and press the hand flat on a table, leaning in gently.',
  forearm: 'Straighten the arm and press the palm flat against a wall or table.',
};
