import { deriveTaskWords, taskWords } from './task-words';

describe('taskWords', () => {
  it('finds the subject phrases of a question, in order', () => {
    expect(deriveTaskWords('Should we migrate our monolith to microservices?').k).toEqual([
      'the monolith',
      'the microservices',
      'the current setup',
      'the budget',
    ]);
    expect(
      deriveTaskWords('How can we reduce technical debt in a legacy PostgreSQL codebase?').k,
    ).toEqual(['the technical debt', 'the legacy PostgreSQL', 'the codebase', 'the budget']);
  });

  it('keeps the four longest phrases of a long task and capitalises for sentence starts', () => {
    const w = deriveTaskWords(
      'Evaluate whether a four-day work week would improve productivity and retention at a consulting firm.',
    );
    expect(w.k).toHaveLength(4);
    expect(w.K[0]).toBe(`T${w.k[0].slice(1)}`);
  });

  it('shortens the quoted topic at a word boundary', () => {
    const w = deriveTaskWords(`${'word '.repeat(40)}end?`);
    expect(w.topic.length).toBeLessThanOrEqual(81);
    expect(w.topic.endsWith('…')).toBe(true);
    expect(deriveTaskWords('  Tabs   or spaces?  ').topic).toBe('Tabs or spaces');
  });

  it('copes with tasks without any words', () => {
    for (const task of ['', '?!', '1234 5678', '   ']) {
      expect(deriveTaskWords(task).k).toEqual([
        'the plan',
        'the cost',
        'the current setup',
        'the budget',
      ]);
    }
  });

  it('caches per task', () => {
    const task = 'Should we cache the derived words?';
    expect(taskWords(task)).toBe(taskWords(task));
    expect(taskWords(task)).toEqual(deriveTaskWords(task));
  });
});
