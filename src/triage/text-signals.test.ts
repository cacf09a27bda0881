import { test } from 'node:test';
import assert from 'node:assert/strict';
import { statedMinorAge, THREAT } from './text-signals.ts';

test('a stated age under 18 is read in English and Filipino forms; times, money and adults are not ages', () => {
  const cases: Array<[string, number | null]> = [
    ['please stop i am 15', 15],
    ["i'm only 13 and my mom will find out", 13],
    ['she is 9 years old', 9],
    ['boy 12yo', 12],
    ['14 y/o', 14],
    ['16 pa lang ako kuya', 16],
    ['ako ay 11 taong gulang', 11],
    ['i am 14. he is 30 years old', 14],
    ["i'm 5 min away", null],
    ['im 10 pm online', null],
    ["i'm 25", null],
    ['he is 45 years old', null],
    ['send 14 pesos', null],
    ['', null],
  ];
  for (const [text, age] of cases) assert.equal(statedMinorAge(text), age, text);
});

test('the sextortion threat: spreading images unless paid, in the forms the FBI and NCMEC quote; ordinary talk is not one', () => {
  const re = new RegExp(THREAT, 'i');
  for (const t of [
    "pay $500 in gift cards or i'll send them to all your followers",
    'or we post everything',
    'your family will see it',
    'your friends list sees them tonight',
    'sending them to your classmates now',
    'ikakalat ko yung pics mo',
  ])
    assert.ok(re.test(t), t);
  for (const t of ['send me a pic of your dog', 'your friends are nice', 'i will post the schedule later', 'or i can call you']) assert.ok(!re.test(t), t);
});
