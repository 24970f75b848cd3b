/**
 * The response page's fixed texts in the languages we have really translated. Question texts come
 * from the survey itself; these are the words around them (scale ends, buttons, thanks page).
 * A language missing here falls back to English for these texts only.
 */

export interface SurveyStrings {
  languageName: string;
  intro: string;
  scaleEnds: { zeroTen: [string, string]; csat: [string, string]; ces: [string, string] };
  chooseAll: string;
  /** Without JavaScript, a question behind skip logic is shown to everyone with this note. */
  ifApplies: string;
  send: string;
  required: string;
  language: string;
  saving: string;
  saved: string;
  savedLocally: string;
  notSent: string;
  thanksTitle: string;
  thanksBody: (organisation: string) => string;
  alreadyTitle: string;
  alreadyBody: string;
}

export const surveyStrings: Record<string, SurveyStrings> = {
  en: {
    languageName: 'English',
    intro: 'It takes about two minutes. Questions marked with an asterisk (*) need an answer; the others are optional.',
    scaleEnds: { zeroTen: ['0 = not at all', '10 = completely'], csat: ['1 = very dissatisfied', '5 = very satisfied'], ces: ['1 = very difficult', '7 = very easy'] },
    chooseAll: 'Choose all that apply',
    ifApplies: 'Answer only if it applies to you.',
    send: 'Send my answers',
    required: 'Please answer this question',
    language: 'Language',
    saving: 'Saving your answers…',
    saved: 'Your answers so far are saved: you can come back to this link later.',
    savedLocally: 'Your answers so far are kept in this browser.',
    notSent: 'Your answers have not been sent',
    thanksTitle: 'Thank you — your answers help us',
    thanksBody: (organisation) => `Your answers help us understand how we are doing and what to improve. If something went wrong for you, someone from ${organisation} may contact you to put it right.`,
    alreadyTitle: 'You have already answered this survey. Thank you.',
    alreadyBody: 'Each link can be used once, so there is nothing more to do.',
  },
  fr: {
    languageName: 'Français',
    intro: 'Cela prend environ deux minutes. Les questions marquées d’un astérisque (*) demandent une réponse ; les autres sont facultatives.',
    scaleEnds: { zeroTen: ['0 = pas du tout', '10 = tout à fait'], csat: ['1 = très insatisfait', '5 = très satisfait'], ces: ['1 = très difficile', '7 = très facile'] },
    chooseAll: 'Cochez toutes les réponses qui s’appliquent',
    ifApplies: 'Répondez seulement si cela vous concerne.',
    send: 'Envoyer mes réponses',
    required: 'Merci de répondre à cette question',
    language: 'Langue',
    saving: 'Enregistrement de vos réponses…',
    saved: 'Vos réponses sont enregistrées : vous pouvez revenir plus tard par ce lien.',
    savedLocally: 'Vos réponses sont conservées dans ce navigateur.',
    notSent: 'Vos réponses n’ont pas été envoyées',
    thanksTitle: 'Merci — vos réponses nous aident',
    thanksBody: (organisation) => `Vos réponses nous aident à comprendre où nous en sommes et ce que nous devons améliorer. Si quelque chose s’est mal passé pour vous, quelqu’un de ${organisation} pourra vous contacter pour y remédier.`,
    alreadyTitle: 'Vous avez déjà répondu à cette enquête. Merci.',
    alreadyBody: 'Chaque lien ne sert qu’une fois : vous n’avez rien d’autre à faire.',
  },
  de: {
    languageName: 'Deutsch',
    intro: 'Das dauert etwa zwei Minuten. Fragen mit einem Sternchen (*) brauchen eine Antwort; die anderen sind freiwillig.',
    scaleEnds: { zeroTen: ['0 = überhaupt nicht', '10 = voll und ganz'], csat: ['1 = sehr unzufrieden', '5 = sehr zufrieden'], ces: ['1 = sehr schwierig', '7 = sehr einfach'] },
    chooseAll: 'Alles Zutreffende auswählen',
    ifApplies: 'Nur beantworten, wenn es auf Sie zutrifft.',
    send: 'Antworten senden',
    required: 'Bitte beantworten Sie diese Frage',
    language: 'Sprache',
    saving: 'Ihre Antworten werden gespeichert…',
    saved: 'Ihre bisherigen Antworten sind gespeichert: Sie können später über diesen Link weitermachen.',
    savedLocally: 'Ihre bisherigen Antworten werden in diesem Browser aufbewahrt.',
    notSent: 'Ihre Antworten wurden nicht gesendet',
    thanksTitle: 'Vielen Dank — Ihre Antworten helfen uns',
    thanksBody: (organisation) => `Ihre Antworten helfen uns zu verstehen, wie gut wir sind und was wir verbessern sollten. Wenn bei Ihnen etwas schiefgelaufen ist, meldet sich vielleicht jemand von ${organisation}, um es in Ordnung zu bringen.`,
    alreadyTitle: 'Sie haben diese Umfrage bereits beantwortet. Vielen Dank.',
    alreadyBody: 'Jeder Link gilt nur einmal, Sie müssen nichts weiter tun.',
  },
  es: {
    languageName: 'Español',
    intro: 'Le llevará unos dos minutos. Las preguntas con asterisco (*) necesitan respuesta; las demás son opcionales.',
    scaleEnds: { zeroTen: ['0 = nada', '10 = totalmente'], csat: ['1 = muy insatisfecho', '5 = muy satisfecho'], ces: ['1 = muy difícil', '7 = muy fácil'] },
    chooseAll: 'Elija todas las que correspondan',
    ifApplies: 'Responda solo si le corresponde.',
    send: 'Enviar mis respuestas',
    required: 'Por favor, responda a esta pregunta',
    language: 'Idioma',
    saving: 'Guardando sus respuestas…',
    saved: 'Sus respuestas hasta ahora están guardadas: puede volver a este enlace más tarde.',
    savedLocally: 'Sus respuestas hasta ahora se guardan en este navegador.',
    notSent: 'Sus respuestas no se han enviado',
    thanksTitle: 'Gracias — sus respuestas nos ayudan',
    thanksBody: (organisation) => `Sus respuestas nos ayudan a entender cómo lo estamos haciendo y qué mejorar. Si algo salió mal, alguien de ${organisation} podría ponerse en contacto con usted para solucionarlo.`,
    alreadyTitle: 'Ya ha respondido a esta encuesta. Gracias.',
    alreadyBody: 'Cada enlace solo se puede usar una vez, así que no tiene que hacer nada más.',
  },
};

export const stringsFor = (lang: string): SurveyStrings => surveyStrings[lang] ?? surveyStrings.en;

/** A language's own name for the switcher, from the dictionary or the browser's list of names. */
export function languageName(lang: string): string {
  if (surveyStrings[lang]) return surveyStrings[lang].languageName;
  try {
    const name = new Intl.DisplayNames([lang], { type: 'language' }).of(lang);
    return name ? name[0].toUpperCase() + name.slice(1) : lang;
  } catch {
    return lang;
  }
}
