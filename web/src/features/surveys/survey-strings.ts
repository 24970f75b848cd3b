/** The response page's fixed texts live with the server, which also draws the page without JavaScript. */
export { languageName, stringsFor, surveyStrings, type SurveyStrings } from '../../../../src/surveys/survey-strings';
