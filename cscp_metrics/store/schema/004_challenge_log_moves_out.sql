-- Schema version 4: the challenge log moves to its own file beside the store (challenges.py), so the
-- published store can stay read-only for every app process while scrutineers write questions.
DROP VIEW challenges_current;
DROP TABLE challenge_events;
DROP SEQUENCE challenge_id_seq;
