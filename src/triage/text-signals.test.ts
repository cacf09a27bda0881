import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LIVE_TALK, PAYMENT_TALK, statedMinorAge, THREAT } from './text-signals.ts';

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

/** Every `yes` text matches the pattern (case-insensitive) and no `no` text does. */
function readsAs(pattern: string, yes: string[], no: string[]): void {
  const re = new RegExp(pattern, 'i');
  for (const t of yes) assert.ok(re.test(t), t);
  for (const t of no) assert.ok(!re.test(t), `not: ${t}`);
}

test('the sextortion threat: spreading images unless paid, in the forms the FBI and NCMEC quote; ordinary talk is not one', () => {
  readsAs(
    THREAT,
    [
      "pay $500 in gift cards or i'll send them to all your followers",
      'or we post everything',
      'your family will see it',
      'your friends list sees them tonight',
      'sending them to your classmates now',
      'ikakalat ko yung pics mo',
      'no money, no delete',
      'send 50 dollars and i will delete everything',
      "pay me first then i'll remove the vids",
      'i only delete them after you pay',
      'bayaran mo muna bago ko buburahin',
    ],
    [
      'send me a pic of your dog',
      'your friends are nice',
      'i will post the schedule later',
      'or i can call you',
      'please delete my account',
      'user paid for premium. account deleted by trust and safety',
      'no money for load today',
    ],
  );
});

test('payment talk: the channels, or a sum sent or paid in plain words; a bare number is not money', () => {
  readsAs(
    PAYMENT_TALK,
    ['gcash mo na lang', 'done sending $30 to 0999-306-8371, pls confirm', 'sent 30 pounds', 'paid you 1,500 pesos', 'i can pay 2k', 'send php 500 first'],
    ['sent 3 pics', 'pay attention', 'i sent it yesterday', 'she is 15', 'paid in full'],
  );
});

test('live talk: a show, a live session or a call arranged; showing images to someone is the threat, not a show', () => {
  readsAs(
    LIVE_TALK,
    ['pay first then show', 'private cam later', 'same time tonight for the show?', 'video call po'],
    ['send 50 dollars or i show them to your parents', 'i will show it to your school'],
  );
});
