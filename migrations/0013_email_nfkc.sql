-- E-mail addresses are compared in Unicode NFKC and lower case (EmailAddress.Normalize), so that a fullwidth or
-- ligature twin of an address is the same account. Accounts made before kept only the lower-cased address; their
-- comparison form is recomputed here (ICU's lower case, which is .NET's invariant one for every letter but the dotted
-- capital I). The unique index on normalized_email then compares the new forms.
-- Where existing accounts now read as one address, none of them is changed (the unique index would refuse it); such an
-- account signs in only while its old and new forms agree, and an operator finds them all with:
--   SELECT email FROM users WHERE normalized_email <> lower(normalize(email, NFKC) COLLATE "und-x-icu");
WITH renormalized AS (
    SELECT id, lower(normalize(email, NFKC) COLLATE "und-x-icu") AS normalized
    FROM users
)
UPDATE users AS u
SET normalized_email = r.normalized
FROM renormalized AS r
WHERE u.id = r.id
  AND u.normalized_email <> r.normalized
  AND NOT EXISTS (SELECT 1 FROM users AS o WHERE o.normalized_email = r.normalized)
  AND (SELECT count(*) FROM renormalized AS twin WHERE twin.normalized = r.normalized) = 1;
