/** Built-in datasets: generators, records for training runs, and `builtin:` specs. */
export { generateArithmeticProblem } from './arithmetic';
export { builtinDataset, type BuiltinSpec, parseBuiltinSpec } from './builtinDataset';
export { BUILTIN_DATASETS, type BuiltinDatasetInfo, corpusText, generateProblems } from './builtinDatasets';
export { irrelevantPairing, toDatasetRecords } from './datasetRecords';
export { mulberry32, pick, type Random, randomInt } from './mulberry32';
export { type Equation, type Problem, SETTING_KINDS, type SettingKind } from './problem';
export { generateWeekdayProblem, WEEKDAYS, weekdayAfter } from './weekday';
