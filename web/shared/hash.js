export * from '../kit/hash.js';
