// The most common passwords from public breach corpora, refused at sign-up and on change. Kept small on purpose:
// it ships in the Worker bundle. Entries shorter than the 10-character minimum are here too, so the check stands
// on its own if the minimum ever changes. Comparison ignores case and Unicode form, which guessers ignore too.

const COMMON_PASSWORDS = [
  // The perennial top of every list.
  '123456', '123456789', '12345678', '12345', '1234567', '1234567890', '0123456789', '111111', '000000', '123123',
  'password', 'password1', 'password12', 'password123', 'password1234', 'passw0rd', 'p@ssw0rd', 'p@ssword',
  'qwerty', 'qwerty123', 'qwertyuiop', 'qwertyuiop123', '1q2w3e4r', '1q2w3e4r5t', '1q2w3e4r5t6y', 'qwe123',
  'abc123', 'abcd1234', 'abcdefg123', 'abcdefghij', 'iloveyou', 'iloveyou1', 'iloveyou12', 'iloveyou123',
  'admin', 'admin123', 'admin12345', 'administrator', 'root', 'toor', 'letmein', 'letmein123', 'welcome',
  'welcome1', 'welcome123', 'welcome2024', 'welcome2025', 'welcome2026', 'monkey', 'dragon', 'football',
  'baseball', 'basketball', 'superman', 'batman', 'trustno1', 'sunshine', 'princess', 'starwars', 'whatever',
  'shadow', 'master', 'michael', 'jennifer', 'jordan23', 'hunter2', 'freedom', 'mustang', 'charlie',
  // Ten characters and longer: the ones the length rule does not already stop.
  '1111111111', '0000000000', '1234512345', '1122334455', '9876543210', '1029384756', '1212121212',
  '123123123123', '123456123456', '12345678910', '123456789a', '123456789q', 'a123456789', 'q123456789',
  '1qaz2wsx3edc', '1qazxsw23edc', 'zaq12wsxcde3', 'zxcvbnm123', 'asdfghjkl1', 'asdfghjkl123', 'qazwsxedc123',
  'qwertyuiop1', 'qwerty12345', 'qwerty123456', 'qwertyqwerty', 'asdfasdfasdf', 'zxcvbnmasdf',
  'passwordpassword', 'password2020', 'password2021', 'password2022', 'password2023', 'password2024',
  'password2025', 'password2026', 'password!!', 'password01', 'password11', 'password99', 'mypassword',
  'mypassword1', 'mypassword123', 'secretpassword', 'changeme123', 'changemenow', 'defaultpassword',
  'letmein1234', 'letmeinnow', 'iloveyou2', 'iloveyoubaby', 'iloveyoumom', 'ilovemyself', 'ilovemymom',
  'ihateyou123', 'football123', 'football12', 'baseball123', 'basketball1', 'soccer1234', 'superman123',
  'batman1234', 'starwars123', 'pokemon123', 'minecraft1', 'minecraft123', 'fortnite123', 'princess123',
  'sunshine123', 'michael123', 'jennifer123', 'charlie123', 'computer123', 'computer12', 'internet123',
  'monkey12345', 'dragon1234', 'shadow1234', 'master1234', 'mustang123', 'freedom123', 'whatever123',
  'liverpool1', 'liverpool123', 'chelsea123', 'arsenal123', 'manchester', 'manchester1', 'barcelona1',
  'qwerty1234', 'abcdef1234', 'abc1234567', 'abcd123456', 'aaaaaaaaaa', 'zzzzzzzzzz', 'asdfghjklz',
  'administrator1', 'adminadmin', 'admin@123', 'admin1234!', 'rootroot12', 'testtest12', 'test123456',
  'testing123', 'welcome1234', 'welcomehome', 'hello12345', 'helloworld', 'helloworld1', 'hello123456',
  'loveyou1234', 'lovelove12', 'iloveu1234', 'trustno1234', 'blink182182', 'q1w2e3r4t5', 'q1w2e3r4t5y6',
  '1a2b3c4d5e', 'a1b2c3d4e5', 'p@ssw0rd123', 'p@ssword123', 'passw0rd123', 'pa$$w0rd123', 'correcthorse',
  'correct horse battery staple', 'correcthorsebatterystaple', 'thequickbrownfox', 'opensesame',
  'letmeinplease', 'nopassword', 'unknown123', 'qwertzuiop', 'azertyuiop', 'samsung123', 'google123',
  'facebook123', 'linkedin123', 'summer2024', 'summer2025', 'winter2024', 'winter2025', 'spring2025',
];

const normalise = (password: string) => password.normalize('NFKC').toLowerCase();

const common = new Set(COMMON_PASSWORDS.map(normalise));

export function isCommonPassword(password: string): boolean {
  return common.has(normalise(password));
}
