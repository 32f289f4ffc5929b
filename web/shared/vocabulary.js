export * from '../kit/vocabulary.js';
